"""`homestretch candidate export ID` and `homestretch candidate erase ID`: a candidate's data rights from the
command line, for the operator who answers a request by e-mail."""

from __future__ import annotations

import typer

candidate_app = typer.Typer(
    name="candidate",
    help="A candidate's data rights: export everything held about them, or erase it.",
    no_args_is_help=True,
)

from homestretch.privacy.erasure_commands import erase  # noqa: E402 - registered below the group it joins

candidate_app.command()(erase)

from homestretch.privacy.export_commands import export  # noqa: E402 - registered below the group it joins

candidate_app.command()(export)
