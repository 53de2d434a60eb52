"""`homestretch similar JOB_ID`: the closed jobs most like a job, with what each search taught."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated

import typer

from homestretch.lib.console import OutputFormat, console, fail, print_json, setup_django

if TYPE_CHECKING:  # Django is set up only when the command runs
    from .services import PaySeen


def _pay_lines(pays: Iterable[PaySeen]) -> list[str]:
    from homestretch.lib.money import format_amount

    lines = []
    for p in pays:
        line = (f"{format_amount(p.min)}–{format_amount(p.max)} {p.currency} a {p.period}, "
                f"median {format_amount(p.median)} ({p.n})")
        converted = p.converted
        if converted is not None and p.conversion is not None:
            line += (f"\n  ≈ {format_amount(converted['min'])}–{format_amount(converted['max'])} "
                     f"{p.conversion.to_currency}, median {format_amount(converted['median'])} "
                     f"at {p.conversion.stated}")
        elif p.not_converted_because:
            line += f"\n  (not converted: {p.not_converted_because})"
        lines.append(line)
    return lines


def similar(
    job_id: Annotated[int, typer.Argument(help="The job's id (open or closed).")],
    limit: Annotated[int, typer.Option(min=1, max=50, help="How many similar jobs, 1 to 50.")] = 5,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = OutputFormat.table,
) -> None:
    """The closed jobs most like this one (title, skills, seniority, location), each with its outcomes, the pay
    seen, the competitors that won, the decline reasons and the lessons."""
    setup_django()
    from homestretch.pipeline.models import Job

    from .services import similar_jobs

    try:
        found = similar_jobs(job_id, limit=limit)
    except Job.DoesNotExist:
        raise fail(f"no job with id {job_id}", code=2) from None
    if output == OutputFormat.json:
        print_json([job.as_dict() for job in found])
        return
    if not found:
        from .search import MIN_SIMILARITY

        console.print(f"No close match: no closed job is at least {MIN_SIMILARITY:.2f} similar to job {job_id} "
                      "(title, skills, seniority and location).")
        return
    from rich.table import Table

    table = Table(title=f"Closed jobs most like job {job_id}", show_lines=True)
    for column in ("id", "score", "job · client", "outcomes", "pay seen", "won by · why lost", "lessons"):
        table.add_column(column, overflow="fold")
    for job in found:
        outcomes = job.outcomes
        outcome_text = (f"{outcomes['applications']} applications: {outcomes['started']} started, "
                        f"{outcomes['declined']} declined, {outcomes['reneged']} reneged, "
                        f"{outcomes['withdrawn']} withdrawn, {outcomes['rejected']} rejected")
        if outcomes["open"]:
            outcome_text += f", {outcomes['open']} still open"
        pay = [f"ours: {line}" for line in _pay_lines(job.our_offers)]
        pay += [f"competing: {line}" for line in _pay_lines(job.competing_offers)]
        lost = [f"{w.company}{' (counteroffer)' if w.counteroffer else ''} ×{w.wins}" for w in job.competitors_won]
        lost += [f"{reason.label}: {reason.n}" for reason in job.decline_reasons]
        table.add_row(
            str(job.job_id), f"{job.score:.2f}",
            f"{job.title} · {job.client}\n{job.seniority_label} · {job.location or '—'} · {job.status_label}"
            f"{' ' + job.closed_on.isoformat() if job.closed_on else ''}",
            outcome_text, "\n".join(pay) or "—", "\n".join(lost) or "—",
            "\n".join(f"• {lesson.text}" for lesson in job.lessons) or "—",
        )
    console.print(table)
