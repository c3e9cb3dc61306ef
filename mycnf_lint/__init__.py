"""mycnf-lint: lint, fix and render MySQL and MariaDB option files."""

__version__ = "0.1.0"
