"""`homestretch candidate erase ID --reason TEXT [--yes]` and `homestretch retention [--dry-run]`.

Registered by homestretch/privacy/commands.py (erase) and homestretch/cli.py (retention). Both ask before
erasing unless --yes is given, and refuse in a run with no terminal to ask in.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from homestretch.lib.console import OutputFormat, console, fail, parse_moment, print_json, refused, setup_django


def _can_ask() -> bool:
    """A terminal to ask in: not cron, a pipe or a script."""
    return sys.stdin.isatty()


def _confirmed(question: str, yes: bool) -> None:
    if yes:
        return
    if not _can_ask():
        raise fail("Erasure is irreversible: pass --yes to confirm it in a run without a terminal.")
    if not typer.confirm(question, default=False):
        raise fail("Nothing erased.")


def _admin(email: str | None):
    from homestretch.accounts.models import User

    if email is None:
        return None
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None or not user.is_admin:
        raise fail(f"--by: no active admin with the e-mail {email!r}.")
    return user


def erase(
    candidate_id: Annotated[int, typer.Argument(help="The candidate's id.", show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the audit): never the person's name.",
                                        show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", help="Erase without asking (irreversible).")] = False,
    by: Annotated[str | None, typer.Option("--by", help="The admin answering the request (e-mail), for the "
                                           "audit.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = OutputFormat.table,
) -> None:
    """Erase a candidate's identifying data everywhere, keeping a de-identified outcome per application.
    Irreversible."""
    setup_django()
    from django.core.exceptions import ValidationError
    from django.http import Http404

    from homestretch.audit.context import on_the_command_line
    from homestretch.pipeline.models import Candidate
    from homestretch.privacy.erasure import check_reason, erase_candidate, erasure_of

    try:
        check_reason(reason)
    except ValidationError as error:
        raise refused(error) from None
    admin = _admin(by)
    if not Candidate.objects.filter(pk=candidate_id).exists():
        raise fail(f"No candidate with id {candidate_id}.")
    earlier = erasure_of(candidate_id)
    if earlier is not None:
        raise fail(f"Candidate {candidate_id} was already erased on {earlier.erased_at:%Y-%m-%d}.")
    _confirmed(f"Erase candidate {candidate_id} for good (their name, contact, notes and mail)?", yes)
    try:
        with on_the_command_line(admin):
            report = erase_candidate(candidate_id, reason=reason, by=admin, at=parse_moment(None, "now"))
    except Http404 as missing:
        raise fail(str(missing)) from None
    except ValidationError as error:
        raise refused(error) from None
    if output == OutputFormat.json:
        print_json(report.as_dict())
        return
    console.print(f"Candidate {candidate_id} erased: {report.applications} applications kept as de-identified "
                  f"outcomes, {report.touchpoints} touch notes blanked, {report.mail_messages} e-mails deleted, "
                  f"{report.mentions_redacted} mentions in other records and {report.mail_files} mail files "
                  "cleaned.")


def retention(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List who is due; erase nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Erase without asking (irreversible).")] = False,
    now: Annotated[str | None, typer.Option(help="What counts as now, ISO 8601; default the clock.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = OutputFormat.table,
) -> None:
    """Candidates with no open application and no activity for HOMESTRETCH_RETENTION_MONTHS: list them
    (--dry-run) or erase them, as the worker does daily."""
    moment = parse_moment(now, "--now")
    setup_django()
    from django.conf import settings
    from rich.table import Table

    from homestretch.privacy.retention import due_list, erase_one

    due = due_list(moment)
    months = settings.RETENTION_MONTHS
    if output == OutputFormat.json and dry_run:
        print_json({"now": moment.isoformat(), "retention_months": months, "dry_run": True,
                    "due": [row.as_dict() for row in due]})
        return
    if output == OutputFormat.table:
        table = Table("id", "name", "last activity", "due since", title=f"Due for erasure after {months} months "
                      "without activity")
        for row in due:
            table.add_row(str(row.candidate_id), row.name, f"{row.last_activity:%Y-%m-%d}", f"{row.due_on:%Y-%m-%d}")
        console.print(table)
    if dry_run:
        console.print(f"{len(due)} candidates due (dry run: nothing erased).")
        return
    if not due:
        if output == OutputFormat.json:
            print_json({"now": moment.isoformat(), "retention_months": months, "dry_run": False, "erased": []})
        else:
            console.print("Nobody is due for erasure.")
        return
    _confirmed(f"Erase these {len(due)} candidates for good?", yes)
    from homestretch.audit.context import on_the_command_line

    with on_the_command_line():
        erased = [row.candidate_id for row in due if erase_one(row.candidate_id, moment)]
    if output == OutputFormat.json:
        print_json({"now": moment.isoformat(), "retention_months": months, "dry_run": False, "erased": erased})
        return
    console.print(f"Erased {len(erased)} candidates (reason: retention period).")
