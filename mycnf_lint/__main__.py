"""`python -m mycnf_lint`."""

from .cli import main

main()
