"""The calendar feed (RFC 5545): a recruiter's due check-ins, competing deadlines, offer expiries
and start dates as all-day events, for Google Calendar, Outlook or Thunderbird to subscribe to.

`feed_events` is pure (facts in, events out); `FeedWriter` turns events into iCalendar text with the
`icalendar` package; `recruiter_feed` loads one recruiter's open applications in a fixed number of
queries. A competitor named in confidence shows by its label, as in the client brief: calendars are
often shared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar
from django.utils import timezone
from django.utils.crypto import salted_hmac

from homestretch.cadence.rules import Cadence, next_contact_due
from homestretch.integrations.digest import application_url
from homestretch.lib.site import DEFAULT_SITE_URL, configured_site_url
from homestretch.offers.choices import CompetingStage, OfferStatus
from homestretch.pipeline.choices import Stage
from homestretch.situation.facts import ApplicationFacts, CompetingFact
from homestretch.situation.redact import redacted_facts

# Competing deadlines this far in the past stay in the feed, so the week's view still shows them.
PAST_DEADLINE_DAYS = 14
# The purpose string of the HMAC behind competing deadlines' UIDs (a key of its own, derived from SECRET_KEY).
UID_PURPOSE = "homestretch.integrations.calendar.competing-uid"


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One all-day event; `uid` stays the same while the event moves, so calendars update it."""

    uid: str
    kind: str  # check_in, competing_deadline, offer_expiry, start_date
    day: date
    summary: str
    description: str
    url: str
    application_id: int


def competing_key(application_id: int, competing: CompetingFact) -> str:
    """The opaque, stable part of a competing deadline's UID: an HMAC under the server's secret.

    A feed is often shared and a UID is in every copy of it: one made from the company (a plain hash of
    company, kind and date) let anyone with a list of companies recover a competitor told in confidence.
    Keyed by the competing offer's row, the UID also stays when the company is renamed or the deadline moves.
    """
    if competing.competing_id is not None:
        identity = f"{application_id}|{competing.competing_id}"
    else:  # facts built without the database (tests, replays): still opaque under the secret
        identity = f"{application_id}|{competing.company}|{competing.kind}|{competing.learned_at.isoformat()}"
    return salted_hmac(UID_PURPOSE, identity, algorithm="sha256").hexdigest()[:24]


def _who(facts: ApplicationFacts) -> str:
    return f"{facts.candidate_name} ({facts.job.title}, {facts.job.client})"


def feed_events(
    facts: Iterable[ApplicationFacts], today: date, cadence_for_team: Callable[[int | None], Cadence],
    site: str | None = None,
) -> list[FeedEvent]:
    """Every event of the feed for these applications, by day then application; links start at `site`
    (homestretch.lib.site.site_url)."""
    events: list[FeedEvent] = []
    for fact in facts:
        if fact.candidate_objected:
            continue  # a candidate who objected is in no one's calendar (pipeline/consent.py)
        url = application_url(fact.application_id, site)
        who = _who(fact)
        app_id = fact.application_id
        offer = fact.current_offer
        start_date = offer.start_date if offer is not None and offer.status == OfferStatus.ACCEPTED else None

        contact = next_contact_due(cadence_for_team(fact.team_id), fact.stage, fact.contacts.last_contact_at,
                                   fact.stage_entered_at, today, start_date=start_date)
        if contact is not None:
            # An overdue check-in is shown today, where it can still be done.
            late = f" ({contact.overdue_days} d late)" if contact.overdue_days > 0 else ""
            stage = Stage(fact.stage).label.lower()
            events.append(FeedEvent(
                uid=f"check-in-{app_id}", kind="check_in", day=max(contact.due_on, today),
                summary=f"Check in: {who}{late}",
                description=f"Contact due at {stage}, on {contact.due_on.isoformat()}.\n{url}",
                url=url, application_id=app_id,
            ))

        # Calendars are often shared: competitors are named as the redacted situation names them.
        shared, _, _ = redacted_facts(fact)
        for competing, named in zip(fact.competing, shared.competing, strict=True):
            if competing.deadline is None or competing.stage == CompetingStage.CLOSED:
                continue
            if competing.deadline < today - timedelta(days=PAST_DEADLINE_DAYS):
                continue
            company = named.company
            events.append(FeedEvent(
                uid=f"competing-{app_id}-{competing_key(app_id, competing)}", kind="competing_deadline",
                day=competing.deadline,
                summary=f"Competing deadline: {who}",
                description=f"The candidate must answer {company} by {competing.deadline.isoformat()} "
                            f"({CompetingStage(competing.stage).label.lower()}).\n{url}",
                url=url, application_id=app_id,
            ))

        if offer is not None and offer.status == OfferStatus.EXTENDED and offer.expires_on is not None:
            events.append(FeedEvent(
                uid=f"offer-expiry-{app_id}", kind="offer_expiry", day=offer.expires_on,
                summary=f"Our offer expires: {who}",
                description=f"Offer revision {offer.revision} expires on {offer.expires_on.isoformat()}.\n{url}",
                url=url, application_id=app_id,
            ))
        if start_date is not None:
            events.append(FeedEvent(
                uid=f"start-{app_id}", kind="start_date", day=start_date, summary=f"First day: {who}",
                description=f"Starts on {start_date.isoformat()}.\n{url}", url=url, application_id=app_id,
            ))
    events.sort(key=lambda e: (e.day, e.application_id, e.kind))
    return events


class FeedWriter:
    """Writes events as one VCALENDAR; the domain makes every UID unique per installation."""

    def __init__(self, name: str) -> None:
        self.name = name
        # Not the request's host: a UID must stay the same whatever address the feed is fetched at.
        configured = configured_site_url() or DEFAULT_SITE_URL
        self.domain = configured.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "homestretch"

    def write(self, events: Iterable[FeedEvent], now: datetime) -> bytes:
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Homestretch//Reminders//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", self.name)
        # Ask subscribers to look again every hour (Outlook and Apple honour one of these).
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
        stamp = now.astimezone(UTC)
        for feed_event in events:
            event = icalendar.Event()
            event.add("uid", f"{feed_event.uid}@{self.domain}")
            event.add("dtstamp", stamp)
            event.add("dtstart", feed_event.day)
            event.add("dtend", feed_event.day + timedelta(days=1))
            event.add("summary", feed_event.summary)
            event.add("description", feed_event.description)
            event.add("url", feed_event.url)
            event.add("categories", [feed_event.kind])
            event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: it does not block the day
            calendar.add_component(event)
        return calendar.to_ical()


def recruiter_feed(user, now: datetime, site: str | None = None) -> bytes:
    """The feed of one user's open applications at `now`, in a fixed number of queries; its links start
    at `site` (the request's address when HOMESTRETCH_SITE_URL is unset)."""
    from homestretch.cadence.models import cadence_lookup
    from homestretch.risk.loader import load_facts

    facts = load_facts(now, recruiter_id=user.pk)
    today = timezone.localtime(now).date()
    events = feed_events(facts, today, cadence_lookup(), site)
    return FeedWriter(f"Homestretch — {user.display_name}").write(events, now)
