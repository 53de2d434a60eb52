"""The brief as JSON (one key per section), Markdown (to paste in an e-mail) and HTML (the page's body)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

from .build import CLIENT, Brief
from .levers import money

SECTIONS = ("application", "priorities", "our_offer", "competing_offers", "risk", "levers", "talking_points",
            "missing")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(round(value, 2))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def as_json(brief: Brief) -> dict:
    """JSON-ready, exactly one key per section. Amounts are numbers in the currency beside them."""
    client = brief.audience == CLIENT
    application = asdict(brief.application)
    if client:
        del application["candidate_notes"]
    application["audience"] = brief.audience
    application["as_of"] = brief.as_of
    application["internal_parts"] = list(brief.internal_parts)
    competing = []
    for line in brief.competing_offers:
        row = asdict(line)
        if client:
            del row["notes"]
        competing.append(row)
    risk = brief.risk
    return _plain({
        "application": application,
        "priorities": [asdict(line) for line in brief.priorities],
        "our_offer": asdict(brief.our_offer),
        "competing_offers": competing,
        # The client brief carries no risk: a score is the recruiter's, not the hiring manager's.
        "risk": None if client else {
            "probability": None if risk.probability is None else round(risk.probability, 3),
            "score": risk.score,
            "band": risk.band,
            "reasons": [{"code": code, "text": text, "share": round(share, 2)} for code, text, share in risk.reasons],
            "actions": [{"code": code, "text": text} for code, text in risk.actions],
            "missing": list(risk.missing),
        },
        "levers": [asdict(lever) for lever in brief.levers],
        "talking_points": list(brief.talking_points),
        "missing": list(brief.missing),
    })


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())


def title_of(brief: Brief) -> str:
    app = brief.application
    return f"{app.candidate} for {app.job} at {app.client}"


def audience_label(brief: Brief) -> str:
    return "For the hiring manager" if brief.audience == CLIENT else "Internal — for the recruiter, not to be shared"


def as_markdown(brief: Brief) -> str:
    app = brief.application
    out: list[str] = [f"# Brief: {title_of(brief)}", ""]
    out.append(f"_{audience_label(brief)} · as of {brief.as_of.strftime('%Y-%m-%d %H:%M')}_")
    out.append("")
    if brief.internal_parts:
        out += [f"**Internal only:** {', '.join(brief.internal_parts)}. The client brief leaves these out.", ""]
    out += ["## Where it stands", ""]
    if app.hiring_manager:
        out.append(f"- Hiring manager: {app.hiring_manager}")
    out.append(f"- Recruiter: {app.recruiter}")
    out.append(f"- {app.status}")
    for step in app.next_steps:
        out.append(f"- {step.on.isoformat()}: {step.text}")
    out.append("")
    if app.candidate_notes.strip() and brief.audience != CLIENT:
        out += ["Notes on the candidate (internal):", "", _quote(app.candidate_notes), ""]

    out += ["## What the candidate wants, against what we offer", ""]
    if brief.priorities:
        out += ["| Priority | Wants | We offer | Met? | Gap |", "|---|---|---|---|---|"]
        for line in brief.priorities:
            importance = f" ({line.importance}/5)" if line.importance is not None else ""
            out.append(f"| {_cell(line.label + importance)} | {_cell(line.wanted)} | {_cell(line.ours)} | "
                       f"{line.status} | {_cell(line.gap) or '—'} |")
    else:
        out.append("No priorities recorded.")
    out.append("")

    out += ["## Our offer", "", brief.our_offer.text + ".", ""]

    out += ["## Competing processes and offers", ""]
    if brief.competing_offers:
        out += ["| Company | Stage | Pay | Against ours | Remote | Deadline |", "|---|---|---|---|---|---|"]
        for competing in brief.competing_offers:
            company = competing.company + (" (counteroffer)" if competing.kind == "counteroffer" else "")
            if competing.role:
                company += f", {competing.role}"
            if competing.confidential and brief.audience != CLIENT:
                company += " — confidential"
            deadline = competing.deadline.isoformat() if competing.deadline else "—"
            out.append(f"| {_cell(company)} | {_cell(competing.stage_label)} | {_cell(competing.pay)} | "
                       f"{_cell(competing.comparison) or '—'} | {_cell(competing.remote)} | {deadline} |")
        if brief.audience != CLIENT:
            for competing in brief.competing_offers:
                if competing.notes.strip():
                    out += ["", f"Notes on {competing.company} (internal):", "", _quote(competing.notes)]
    else:
        out.append("No competing process or offer recorded — ask at the next call.")
    out.append("")

    risk = brief.risk
    if brief.audience != CLIENT:
        out += ["## Risk (internal)", ""]
        if risk.score is None:
            out.append("Not computed.")
        else:
            out.append(f"**{(risk.band or '').capitalize()}**, {risk.score}/100 — the probability of losing the "
                       f"candidate is {risk.probability:.0%}.")
        if risk.reasons:
            out += ["", "Why:"]
            out += [f"- {text} ({share:.0%})" for _, text, share in risk.reasons]
        if risk.actions:
            out += ["", "Next best actions:"]
            out += [f"- {text}" for _, text in risk.actions]
        out.append("")

    out += ["## What we recommend" if brief.audience == CLIENT else "## Levers", ""]
    if brief.levers:
        for lever in brief.levers:
            out.append(f"- **{_lever_headline(lever)}** — {lever.text}")
    else:
        out.append("None.")
    out.append("")

    if brief.talking_points:
        out += ["## Talking points for the next call (internal)", ""]
        out += [f"- {point}" for point in brief.talking_points]
        out.append("")

    if brief.missing:
        out += ["## Missing (internal)", ""]
        out += [f"- {text}" for text in brief.missing]
        out.append("")
    return "\n".join(out)


LEVER_TITLES = {"base": "Base", "offer_by": "Offer out by", "remote_days": "Remote days",
                "start_date": "Start date"}


def _lever_headline(lever) -> str:
    title = LEVER_TITLES.get(lever.code, lever.code)
    if lever.flag == "offer_already_out" and lever.on is not None:
        return f"Offer out since {lever.on.isoformat()}"
    if lever.amount is not None:
        return f"{title}: {money(lever.amount, lever.currency, lever.period)}"
    if lever.code == "remote_days" and lever.days is not None:
        return f"{title}: {lever.days} a week"
    if lever.on is not None:
        return f"{title}: {lever.on.isoformat()}"
    return title


def as_html(brief: Brief) -> str:
    """The brief's body as HTML (escaped), reused by the page and `homestretch brief --format html`."""
    levers = [{"headline": _lever_headline(lever), "lever": lever} for lever in brief.levers]
    return render_to_string("briefs/_brief.html", {
        "brief": brief, "title": title_of(brief), "audience_label": audience_label(brief),
        "internal": brief.audience != CLIENT, "levers": levers,
        "probability": None if brief.risk.probability is None else f"{brief.risk.probability:.0%}",
        "reasons": [{"text": text, "share": f"{share:.0%}"} for _, text, share in brief.risk.reasons],
    })


__all__ = ["SECTIONS", "as_html", "as_json", "as_markdown"]
