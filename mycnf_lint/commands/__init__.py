"""The commands of the typer app, one module each; `cli.py` registers them."""
