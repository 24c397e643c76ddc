"""The command line: a thin shell over the engine. One module per command group (``main`` holds
the entry point and the contract commands); each parses, calls the engine, prints and sets the
exit status. No contract logic lives here."""

from slagen.cli.main import app, main

__all__ = ["app", "main"]
