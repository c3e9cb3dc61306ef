"""`python -m mycnf_lint`."""

from mycnf_lint.entry import main

main()
