"""`homestretch history import` (placeholder until written)."""

import typer

history_app = typer.Typer(help="Past outcomes from another ATS or a spreadsheet.", no_args_is_help=True)
