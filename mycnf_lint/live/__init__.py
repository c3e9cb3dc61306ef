"""doctor: a running server (or its saved variables and status) judged by the rules `check`
uses, plus what only a live server shows, its error log, and its drift from the option files."""
