"""A copy of everything held about one candidate (right of access, GDPR art. 15): one JSON document, and a
readable HTML version of the same document (docs/data-rights.md, Export).

The document is built here once; the command line (`homestretch candidate export`), the API
(`GET /api/v1/candidates/{id}/export`) and the admin's download on the candidate page all serve it.
Every stored field of every record about the person is included, read by the field list of its model
(so a field added later is exported without a change here), in a fixed number of queries whatever the
person's volume. Confidential facts are included: this is the person's own data. It is for the person
(through an admin), never for a client: no client-facing page, brief or report reads it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from homestretch.audit.trail import entries_about_candidate
from homestretch.mailin.models import MailMessage, Proposal
from homestretch.offers.models import CompetingOffer, CompetingOfferChange, Offer, OfferEvent, Priorities
from homestretch.pipeline import consent
from homestretch.pipeline.models import Application, Candidate, StageChange, Touchpoint

FORMAT = "homestretch-candidate-export"
VERSION = 1

# Columns that are ours, not the person's: a search index, and the counter of changes for the risk snapshots.
LEFT_OUT: dict[type[models.Model], frozenset[str]] = {
    Candidate: frozenset({"search_text"}),
    Application: frozenset({"generation"}),
}

# What each part of the document holds, in words: said in the HTML version and in docs/data-rights.md.
SECTIONS: dict[str, str] = {
    "candidate": "Your details as recorded: contact, current job and pay, skills, source, notes, the legal basis "
                 "for holding them, and any objection",
    "applications": "Each job you were put forward for, with the history of its stages and our offers with "
                    "their events",
    "touchpoints": "Every call, e-mail, message or meeting recorded with you, with its notes",
    "competing_offers": "Other processes and offers you told us about, counteroffers included, with their changes",
    "priorities": "What you told us matters to you (pay, remote work, notice, start), each version dated",
    "mail_messages": "E-mails kept: the part of each message that was new, who it was from and to",
    "proposals": "What those e-mails or notes were read to say, and whether a recruiter accepted it",
    "audit_entries": "Who created, changed, viewed or exported your records, and when",
}


class CandidateNotFound(LookupError):
    """No candidate with this id."""


def _fields(model: type[models.Model]) -> list[str]:
    """Every stored column of `model` (a foreign key by its id), minus what is ours alone (LEFT_OUT)."""
    left_out = LEFT_OUT.get(model, frozenset())
    return [f.attname for f in model._meta.concrete_fields if f.name not in left_out]


def _plain(value: Any) -> Any:
    """A JSON value: moments and days in ISO 8601, amounts as decimal strings (never a float)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def _rows(queryset: models.QuerySet, model: type[models.Model], *extra: str) -> list[dict[str, Any]]:
    return [{name: _plain(value) for name, value in row.items()}
            for row in queryset.values(*_fields(model), *extra)]


def _by(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def export_candidate(candidate_id: int, *, now: datetime) -> dict[str, Any]:
    """Everything held about the candidate, as one JSON-ready document. 13 queries whatever the number of
    applications, touches, offers or e-mails (guarded by a test; the audit's content types are looked up once
    per process). CandidateNotFound when there is none."""
    found = _rows(Candidate.objects.filter(pk=candidate_id), Candidate)
    if not found:
        raise CandidateNotFound(f"No candidate with id {candidate_id}.")
    candidate = found[0]
    renew_by = date.fromisoformat(candidate["basis_renew_by"]) if candidate["basis_renew_by"] else None
    due = consent.renewal(renew_by, timezone.localtime(now).date())
    candidate["renewal_due"] = due.sentence if due is not None else None
    candidate["objected"] = candidate["objected_at"] is not None

    applications = _rows(
        Application.objects.filter(candidate_id=candidate_id).order_by("created_at", "id"), Application,
        "job__title", "job__client__name", "recruiter__first_name", "recruiter__last_name",
    )
    stage_changes = _by(_rows(StageChange.objects.filter(application__candidate_id=candidate_id)
                              .order_by("at", "id"), StageChange), "application_id")
    offers = _rows(Offer.objects.filter(application__candidate_id=candidate_id).order_by("application_id", "revision"),
                   Offer)
    offer_events = _by(_rows(OfferEvent.objects.filter(offer__application__candidate_id=candidate_id)
                             .order_by("at", "id"), OfferEvent), "offer_id")
    for offer in offers:
        offer["events"] = offer_events.get(offer["id"], [])
    offers_by_application = _by(offers, "application_id")
    for application in applications:
        first, last = application.pop("recruiter__first_name"), application.pop("recruiter__last_name")
        application["recruiter"] = f"{first} {last}".strip()
        application["job"] = {"title": application.pop("job__title"), "client": application.pop("job__client__name")}
        application["stage_history"] = stage_changes.get(application["id"], [])
        application["offers"] = offers_by_application.get(application["id"], [])

    touchpoints = _rows(Touchpoint.objects.filter(candidate_id=candidate_id).order_by("at", "id"), Touchpoint)
    competing = _rows(CompetingOffer.objects.filter(candidate_id=candidate_id).order_by("learned_at", "id"),
                      CompetingOffer)
    competing_changes = _by(_rows(CompetingOfferChange.objects.filter(competing__candidate_id=candidate_id)
                                  .order_by("at", "id"), CompetingOfferChange), "competing_id")
    for offer in competing:
        offer["changes"] = competing_changes.get(offer["id"], [])
    priorities = _rows(Priorities.objects.filter(candidate_id=candidate_id).order_by("as_of", "id"), Priorities)

    messages = _rows(MailMessage.objects.filter(candidate_id=candidate_id).order_by("received_at", "id"), MailMessage)
    touches_of_message = _by(
        (dict(row) for row in MailMessage.touchpoints.through.objects.filter(mailmessage__candidate_id=candidate_id)
         .values("mailmessage_id", "touchpoint_id")), "mailmessage_id")
    for message in messages:
        message["touchpoint_ids"] = sorted(row["touchpoint_id"] for row in touches_of_message.get(message["id"], []))
    proposals = _rows(Proposal.objects.filter(candidate_id=candidate_id).order_by("said_at", "id"), Proposal)

    audit = [
        {"id": entry.pk, "at": _plain(entry.timestamp), "kind": entry.kind,
         "by": entry.actor_label or entry.actor_email or "", "about": entry.object_repr,
         "object_type": entry.content_type.model if entry.content_type is not None else "",
         "object_id": entry.object_pk, "changes": entry.changes}
        for entry in entries_about_candidate(candidate_id).select_related("content_type")
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": _plain(now),
        "sections": SECTIONS,
        "candidate": candidate,
        "applications": applications,
        "touchpoints": touchpoints,
        "competing_offers": competing,
        "priorities": priorities,
        "mail_messages": messages,
        "proposals": proposals,
        "audit_entries": audit,
    }


# --- The readable version ---------------------------------------------------------------------------


@dataclass
class Node:
    """One line of the readable version: a label with a text, or a heading with the lines under it."""

    label: str
    text: str | None = None
    children: list[Node] = field(default_factory=list)


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _node(label: str, value: Any) -> Node:
    if isinstance(value, dict):
        return Node(label, children=[_node(_label(key), item) for key, item in value.items()])
    if isinstance(value, list):
        if not value:
            return Node(label, text="none")
        return Node(label, children=[_node(f"{label} {position}", item) for position, item in enumerate(value, 1)])
    return Node(label, text=_text(value))


# Each list's record, named in the singular in the readable version.
SINGULAR = {"applications": "Application", "touchpoints": "Touchpoint", "competing_offers": "Competing offer",
            "priorities": "Priorities, version", "mail_messages": "E-mail", "proposals": "Proposal",
            "audit_entries": "Audit entry"}


@dataclass
class Section:
    key: str
    title: str
    description: str
    records: Sequence[Node]


def readable(document: dict[str, Any]) -> list[Section]:
    """The document as sections of labelled lines, for the HTML template: the same content, every field."""
    sections = []
    for key, description in document["sections"].items():
        value = document[key]
        title = _label(key)
        if isinstance(value, list):
            one = SINGULAR.get(key, title)
            records = [_node(f"{one} {position}", item) for position, item in enumerate(value, 1)]
        else:
            records = [_node(title, value)]
        sections.append(Section(key=key, title=title, description=description, records=records))
    return sections
