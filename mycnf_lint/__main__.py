"""`python -m mycnf_lint`."""

from mycnf_lint.cli import main

main()
