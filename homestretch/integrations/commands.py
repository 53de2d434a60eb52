"""`homestretch remind`, `homestretch worker` and `homestretch feed create|revoke`.

Registered by homestretch/cli.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Annotated

import typer

from homestretch.integrations.worker import Shutdown, run_worker
from homestretch.lib.console import OutputFormat, console, fail, parse_moment, print_json, setup_django

feed_app = typer.Typer(help="The calendar feed's secret address: create it or end it.", no_args_is_help=True)


def remind(
    now: Annotated[str | None, typer.Option(help="What counts as now, ISO 8601; default the clock.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what is due; record and send nothing.")] = False,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = OutputFormat.table,
) -> None:
    """Send the daily digests due now (e-mail and chat). Safe to run again, from cron, on several machines."""
    moment = parse_moment(now, "--now")
    setup_django()
    from homestretch.integrations.services import remind as run_remind

    report = run_remind(moment, dry_run=dry_run)
    if output == OutputFormat.json:
        print_json({"now": moment.isoformat(), "dry_run": dry_run, **report.as_dict()})
        return
    if dry_run:
        emails = sum(1 for *_, channel in report.due if channel == "email")
        console.print(f"Due at {moment.isoformat(timespec='minutes')}: {emails} digest e-mails and "
                      f"{len(report.due) - emails} chat posts (dry run: nothing recorded or sent).")
        return
    line = f"Sent {report.emails} digest e-mails and {report.posts} chat posts."
    extras = []
    if report.empty:
        extras.append(f"{report.empty} with nothing due")
    if report.failed:
        extras.append(f"{report.failed} failed (tried again at the next run)")
    if report.unknown:
        extras.append(f"{report.unknown} sent with no answer (may have arrived; not sent again)")
    if report.skipped:
        extras.append(f"{report.skipped} taken by another process")
    console.print(line + (f" ({'; '.join(extras)})" if extras else ""))


def serve_worker(interval: float, also: Sequence[Callable[[datetime], object]] = ()) -> None:
    """The body of `homestretch worker` (declared in homestretch/cli.py, which adds the retention's daily
    erasure from a layer above this one): run until SIGTERM or Ctrl+C."""
    setup_django()
    shutdown = Shutdown()
    shutdown.install()
    console.print(f"Sending the digests due every {interval:g} s; Ctrl+C or SIGTERM stops.")

    def show(report) -> None:
        if report.emails or report.posts or report.failed:
            console.print(f"{datetime.now(UTC).isoformat(timespec='seconds')} sent {report.emails} e-mails, "
                          f"{report.posts} chat posts, {report.failed} failed")

    runs = run_worker(interval, shutdown.event, on_report=show, also=also)
    console.print(f"Stopped after {runs} runs.")


def _user(email: str):
    from homestretch.accounts.models import User

    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise fail(f"no user with the e-mail {email.strip()}", code=2)
    return user


@feed_app.command("create")
def feed_create(user: Annotated[str, typer.Option("--user", help="The user's e-mail.")]) -> None:
    """Print the user's calendar feed address, making it when there is none."""
    setup_django()
    from homestretch.integrations.services import create_feed

    feed = create_feed(_user(user))
    typer.echo(feed.full_url())


@feed_app.command("revoke")
def feed_revoke(user: Annotated[str, typer.Option("--user", help="The user's e-mail.")]) -> None:
    """End the user's calendar feed: its address answers 404 from now on."""
    setup_django()
    from homestretch.integrations.services import revoke_feed

    who = _user(user)
    if revoke_feed(who, datetime.now(UTC)):
        console.print(f"Revoked the calendar feed of {who.email}.")
    else:
        console.print(f"{who.email} had no calendar feed.")
