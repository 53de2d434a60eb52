"""The daily digest as plain data: today's agenda of one recruiter, ready for any channel."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.urls import NoReverseMatch, reverse

from homestretch.agenda.today import AgendaItem
from homestretch.integrations.delivery import delivery_key
from homestretch.lib.site import site_url
from homestretch.risk.engine import shared_explanation
from homestretch.situation.names import replace_names
from homestretch.situation.redact import confidential_labels

logger = logging.getLogger(__name__)


def application_url(application_id: int, site: str | None = None) -> str:
    """The absolute link to an application: its page, or its back-office page until that exists.
    `site` is where links start (homestretch.lib.site.site_url), HOMESTRETCH_SITE_URL by default."""
    try:
        path = reverse("application", kwargs={"application_id": application_id})
    except NoReverseMatch:
        path = reverse("admin:pipeline_application_change", args=[application_id])
    return (site if site is not None else site_url()) + path


@dataclass(frozen=True, slots=True)
class DigestEntry:
    """One line of the digest: who, why, how risky, what to do first, where to click."""

    application_id: int
    candidate: str
    job: str
    client: str
    why: str
    overdue_days: int
    also: tuple[str, ...]
    band: str | None
    score: int | None
    top_action: str
    url: str
    # What a team channel may read: the same line written from the redacted situation (no name or
    # figure told in confidence), homestretch.situation.redact.
    shared_why: str = ""
    shared_action: str = ""

    @classmethod
    def from_item(cls, item: AgendaItem) -> DigestEntry:
        data = item.as_dict()
        risk = data["risk"] or {}
        actions = data["actions"]
        labels = confidential_labels(item.facts)
        shared_why, _ = replace_names(data["due"]["reason"], labels, where="agenda")
        shared_actions = shared_explanation(item.risk)[1] if item.risk is not None else ()
        return cls(
            application_id=data["application_id"], candidate=data["candidate"], job=data["job"],
            client=data["client"], why=data["due"]["reason"], overdue_days=data["due"]["overdue_days"],
            also=tuple(d["reason"] for d in data["also_due"]), band=risk.get("band"), score=risk.get("score"),
            top_action=actions[0]["text"] if actions else "", url=application_url(data["application_id"]),
            shared_why=shared_why, shared_action=shared_actions[0].text if shared_actions else "",
        )


@dataclass(frozen=True, slots=True)
class Digest:
    recruiter_id: int
    recruiter_email: str
    recruiter_name: str
    day: date
    entries: tuple[DigestEntry, ...]

    @property
    def overdue(self) -> int:
        return sum(1 for entry in self.entries if entry.overdue_days > 0)

    def delivery_key(self, channel: str) -> str:
        """The key of this digest's delivery by `channel`: the same at every attempt (delivery.delivery_key)."""
        return delivery_key(self.recruiter_id, self.day, channel)

    @property
    def agenda_url(self) -> str:
        return site_url() + "/"

    def as_context(self) -> dict:
        return {"digest": self, "entries": self.entries, "day": self.day, "site_url": site_url(),
                "settings_url": site_url() + reverse("notification-settings")}
