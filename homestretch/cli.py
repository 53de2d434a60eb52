"""The `homestretch` command line: set-up, serving, demo data, users, benchmarks.

Django is set up lazily inside each command, so that options such as `bench --database` can
choose the database before the settings are read.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from homestretch.accounts.commands import token_app
from homestretch.briefs.commands import brief
from homestretch.history.commands import history_app
from homestretch.insights.commands import insights, report_app
from homestretch.integrations.commands import feed_app, remind, serve_worker
from homestretch.learning.commands import model_app
from homestretch.lib.console import (
    OutputFormat,
    console,
    fail,
    migrate,
    parse_day,
    parse_moment,
    print_json,
    progress_bar,
    refused,
    setup_django,
)
from homestretch.mailin.commands import mailin
from homestretch.privacy.commands import candidate_app
from homestretch.privacy.erasure_commands import retention
from homestretch.similar.commands import similar
from homestretch.spreadsheets.commands import export_command, import_command

if TYPE_CHECKING:
    from rich.progress import TaskID

app = typer.Typer(
    name="homestretch",
    help="Homestretch: keep candidates from running away on the home stretch of hiring.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals may hold candidates' personal data
)


def load_demo(scale: str, seed: int, now: datetime):
    """Generate the demo data with a progress bar per step; returns the generator's summary."""
    from homestretch.demo.generator import generate

    with progress_bar() as bar:
        tasks: dict[str, TaskID] = {}

        def report(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=total)
            bar.update(tasks[step], completed=done, total=total)

        return generate(scale, seed, now=now, progress=report)


def print_login(summary_or_accounts) -> None:
    from homestretch.demo.generator import DEMO_PASSWORD

    email = getattr(summary_or_accounts, "login_email", summary_or_accounts)
    console.print(
        f"Sign in as [bold]{email}[/] with password [bold]{DEMO_PASSWORD}[/] "
        "(every demo account has this password)."
    )


@app.command()
def run(
    host: Annotated[str, typer.Option(envvar="HOST", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Load the demo data when the database is empty.")] = False,
    workers: Annotated[int, typer.Option(envvar="WEB_CONCURRENCY", min=1, help="Server processes.")] = 3,
) -> None:
    """Migrate, collect static files and serve the app with gunicorn."""
    setup_django()
    from django.core.management import call_command

    console.print("Migrating the database…")
    migrate()
    call_command("collectstatic", interactive=False, verbosity=0)
    if demo:
        from homestretch.demo.generator import database_is_empty, demo_login_email

        if database_is_empty():
            console.print("The database is empty: loading the demo agency (small)…")
            summary = load_demo("small", 1, datetime.now(UTC))
            console.print(f"Loaded {summary.rows:,} rows in {summary.seconds:.1f} s.")
        login = demo_login_email()
        if login:
            print_login(login)
    console.print(f"Serving Homestretch on [bold]http://{host}:{port}/[/] (Ctrl+C stops it).")
    sys.stdout.flush()
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    # Replace this process with the server so that signals (Ctrl+C, SIGTERM) reach gunicorn directly.
    os.execvp(  # noqa: S606 - the arguments are ours, no shell involved
        sys.executable,
        [sys.executable, "-m", "gunicorn", "homestretch.wsgi:application", "--bind", bind,
         "--workers", str(workers), "--graceful-timeout", "20",
         # The access log on stdout, with feed and API tokens replaced by [redacted] (homestretch.lib.logs).
         "--access-logfile", "-", "--logger-class", "homestretch.lib.gunicorn_logger.RedactingLogger"],
    )


@app.command()
def demo(
    scale: Annotated[str, typer.Option(help="small (about 300 applications) or large (50,000).")] = "small",
    seed: Annotated[int, typer.Option(help="The same seed (and --now) gives the same data.")] = 1,
    now: Annotated[str | None, typer.Option(help="Anchor date-time of the data (ISO 8601); default now.")] = None,
) -> None:
    """Fill an empty database with a demo IT recruiting agency."""
    from homestretch.demo.generator import SCALES

    if scale not in SCALES:
        raise fail(f"--scale must be one of {', '.join(SCALES)}, not {scale!r}", code=2)
    moment = parse_moment(now, "--now")
    setup_django()
    from homestretch.demo.generator import DatabaseNotEmpty

    migrate()
    try:
        summary = load_demo(scale, seed, moment)
    except DatabaseNotEmpty as exc:
        raise fail(str(exc)) from None
    console.print(
        f"Demo data ({scale}, seed {seed}): {summary.rows:,} rows in {summary.seconds:.1f} s "
        f"({summary.rows_per_second:,.0f} rows/s)."
    )
    for table, count in summary.counts.items():
        console.print(f"  {table:<20} {count:>10,}")
    print_login(summary)


@app.command()
def createuser(
    email: Annotated[str, typer.Option(help="The e-mail address, used to sign in.")],
    team: Annotated[str | None, typer.Option(help="Team name; created when new. Required for recruiters.")] = None,
    role: Annotated[str, typer.Option(help="admin, recruiter or viewer.")] = "recruiter",
    first_name: Annotated[str, typer.Option()] = "",
    last_name: Annotated[str, typer.Option()] = "",
    password: Annotated[
        str | None, typer.Option(envvar="HOMESTRETCH_PASSWORD", help="Asked for when left out.")
    ] = None,
) -> None:
    """Create a user who can sign in."""
    setup_django()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from homestretch.accounts.choices import Role
    from homestretch.accounts.models import Team, User

    if role not in Role.values:
        raise fail(f"--role must be one of {', '.join(Role.values)}, not {role!r}", code=2)
    if role == Role.RECRUITER and not team:
        raise fail("a recruiter belongs to a team: give --team", code=2)
    migrate()
    if User.objects.filter(email__iexact=email.strip()).exists():
        raise fail(f"a user with the e-mail {email.strip()} exists already")
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    candidate_user = User(email=email.strip().lower(), first_name=first_name, last_name=last_name, role=role)
    try:
        validate_password(password, candidate_user)
    except ValidationError as exc:
        raise fail("the password is too weak: " + " ".join(exc.messages)) from None
    try:
        with transaction.atomic():
            team_obj = Team.objects.get_or_create(name=team.strip())[0] if team else None
            if role == Role.ADMIN:
                user = User.objects.create_superuser(
                    email=email, password=password, first_name=first_name, last_name=last_name, team=team_obj
                )
            else:
                user = User.objects.create_user(
                    email=email, password=password, first_name=first_name, last_name=last_name,
                    team=team_obj, role=role,
                )
    except ValidationError as exc:
        raise refused(exc) from None
    where = f" in team {team_obj}." if team_obj else "."
    console.print(f"Created {user.get_role_display().lower()} {user.email}{where}")


BAND_STYLE = {"high": "bold red", "medium": "yellow", "low": "green"}


def band_text(band: str | None) -> str:
    if band is None:
        return "unknown"
    return f"[{BAND_STYLE.get(band, '')}]{band}[/]"


@app.command()
def agenda(
    recruiter: Annotated[str | None, typer.Option(help="The recruiter's e-mail; default everyone.")] = None,
    team: Annotated[str | None, typer.Option(help="A team's name instead of one recruiter.")] = None,
    on: Annotated[str | None, typer.Option(help="The day, YYYY-MM-DD; default today.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = OutputFormat.table,
    now: Annotated[
        str | None, typer.Option(help="What counts as now, ISO 8601 (to replay a day); default the clock.")
    ] = None,
) -> None:
    """Who must be contacted today and why: overdue first, then the riskiest."""
    day = parse_day(on, "--on")
    moment = parse_moment(now, "--now")
    setup_django()
    from django.utils import timezone

    from homestretch.accounts.models import Team, User
    from homestretch.agenda.services import agenda as build

    recruiter_id = team_id = None
    if recruiter:
        recruiter_id = User.objects.filter(email__iexact=recruiter.strip()).values_list("id", flat=True).first()
        if recruiter_id is None:
            raise fail(f"no user with the e-mail {recruiter.strip()}", code=2)
    if team:
        team_id = Team.objects.filter(name__iexact=team.strip()).values_list("id", flat=True).first()
        if team_id is None:
            raise fail(f"no team named {team.strip()!r}", code=2)
    day = day or timezone.localtime(moment).date()
    items = build(day, now=moment, recruiter_id=recruiter_id, team_id=team_id)
    if output == OutputFormat.json:
        print_json([item.as_dict() for item in items])
        return
    from rich.table import Table

    table = Table(title=f"Agenda for {day.isoformat()}: {len(items)} to contact", show_lines=False)
    for column in ("id", "candidate", "job · client", "stage", "why now", "risk", "first action"):
        table.add_column(column, overflow="fold")
    for item in items:
        risk = item.risk
        risk_cell = "-" if risk is None else f"{band_text(risk.band)} {risk.score if risk.score is not None else ''}"
        if risk is not None and risk.reasons:
            risk_cell += f"\n{risk.reasons[0].text}"
        first_action = risk.actions[0].text if risk is not None and risk.actions else ""
        late = f" ({item.due.overdue_days} d late)" if item.due.overdue_days > 0 else ""
        table.add_row(
            str(item.facts.application_id), item.facts.candidate_name,
            f"{item.facts.job.title} · {item.facts.job.client}", item.facts.stage, item.due.reason + late,
            risk_cell, first_action,
        )
    console.print(table)
    from homestretch.agenda.services import renewals_due
    from homestretch.pipeline.consent import RENEWAL_NOTICE_DAYS

    # The legal bases to renew, as Today lists them under the agenda (the JSON stays the agenda's items:
    # GET /api/v1/agenda/renewals gives these to machines).
    renewals = renewals_due(day, 10, recruiter_id=recruiter_id, team_id=team_id)
    if renewals.total:
        console.print(f"Legal basis to renew ({renewals.total} due within {RENEWAL_NOTICE_DAYS} days or overdue):")
        for due in renewals.renewals:
            console.print(f"  {due.candidate_id} {due.candidate_name} · {due.legal_basis} · {due.renewal.sentence}",
                          highlight=False, markup=False)


@app.command()
def risk(
    application_id: Annotated[int, typer.Argument(help="The application's id.")],
    at: Annotated[str | None, typer.Option(help="The moment, ISO 8601; default now.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = OutputFormat.table,
) -> None:
    """The risk of losing the candidate of one application, its reasons and the next best actions."""
    moment = parse_moment(at, "--at")
    setup_django()
    from homestretch.pipeline.models import Application
    from homestretch.risk.scoring import NotScored, risk_of

    try:
        facts, assessed = risk_of(application_id, moment)
    except Application.DoesNotExist:
        raise fail(f"no application with id {application_id}", code=2) from None
    except NotScored as exc:
        raise fail(str(exc)) from None
    if output == OutputFormat.json:
        print_json(assessed.as_dict())
        return
    console.print(
        f"[bold]{facts.candidate_name}[/] for {facts.job.title} at {facts.job.client} — {facts.stage}, "
        f"as of {moment.isoformat(timespec='minutes')}"
    )
    if assessed.probability is None:
        console.print("Risk cannot be computed yet.")
    else:
        console.print(f"Risk: {band_text(assessed.band)}, score {assessed.score}/100 "
                      f"(probability {assessed.probability:.0%} of losing the candidate)")
    for reason in assessed.reasons:
        console.print(f"  • {reason.text} [dim]({reason.share:.0%} of the score, {reason.code})[/]")
    if assessed.missing:
        console.print("Missing:")
        for missing in assessed.missing:
            console.print(f"  • {missing}")
    if assessed.actions:
        console.print("Next best actions:")
        for action in assessed.actions:
            console.print(f"  → {action.text} [dim]({action.code})[/]")


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
)
def manage(ctx: typer.Context) -> None:
    """Run one of Django's management commands, e.g. `homestretch manage createsuperuser`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homestretch.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["homestretch manage", *ctx.args])


@app.command()
def bench(
    scale: Annotated[str, typer.Option(help="The data set to measure on: small or large.")] = "large",
    database: Annotated[
        str | None, typer.Option(help="DATABASE_URL to measure on; default a SQLite file under var/bench/.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the data set.")] = 1,
    repeat: Annotated[int, typer.Option(min=1, help="Runs per figure; the median is reported.")] = 7,
    only: Annotated[list[str] | None, typer.Option(help="Run only these benchmarks (repeatable).")] = None,
    json_path: Annotated[str | None, typer.Option("--json", help="Where to write the figures as JSON.")] = None,
    soak_database: Annotated[str | None, typer.Option(
        envvar="HOMESTRETCH_SOAK_DATABASE",
        help="Also run the soak of two app servers and two workers on this PostgreSQL database of its own "
             "(dropped and made afresh); `--only soak` runs the soak alone.")] = None,
    soak_seconds: Annotated[int, typer.Option(min=5, help="How long the soak's load lasts.")] = 150,
    soak_users: Annotated[int, typer.Option(min=2, help="The soak's simulated users (a fifth contend).")] = 12,
) -> None:
    """Build (once, cached) the data set and run every registered benchmark."""
    from benchmarks.runner import run_benchmarks

    run_benchmarks(
        scale=scale, database_url=database, seed=seed, repeat=repeat, only=only or [], json_path=json_path,
        console=console, progress_factory=progress_bar, load_demo=load_demo, setup_django=setup_django,
        soak_database=soak_database, soak_seconds=soak_seconds, soak_users=soak_users,
    )


# Commands that live with their app.
app.add_typer(token_app, name="token")
app.command()(brief)
app.add_typer(feed_app, name="feed")
app.command()(remind)


@app.command()
def worker(
    interval: Annotated[float, typer.Option(min=5, help="Seconds between runs.")] = 60,
) -> None:
    """Run `remind` every INTERVAL seconds until stopped (SIGTERM or Ctrl+C), for those without cron; once a
    day, also erase the candidates past the retention period (HOMESTRETCH_RETENTION_MONTHS)."""
    setup_django()
    from homestretch.privacy.retention import daily

    serve_worker(interval, also=(daily(),))


app.add_typer(history_app, name="history")
app.add_typer(model_app, name="model")
app.command()(insights)
app.add_typer(report_app, name="report")
app.command()(similar)
app.command("import")(import_command)
app.command("export")(export_command)
app.command()(mailin)
app.add_typer(candidate_app, name="candidate")
app.command()(retention)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
