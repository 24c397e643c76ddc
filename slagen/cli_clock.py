"""`slagen clock`: business-time arithmetic from the command line (built in the clock issue)."""

import typer

clock_app = typer.Typer(help="Business-time arithmetic on a contract's calendar.", no_args_is_help=True)
