"""`remind`: record the digests due at a moment in the outbox, then claim and send them one by one.

Three steps, each safe to repeat and to run on several machines at once:

1. plan — for every recruiter whose digest hour has come in their time zone, insert one outbox row
   per chosen channel for their local day (a unique constraint makes a second insert a no-op);
2. claim — `UPDATE … SET status='sending' WHERE id=… AND status='pending'`: only the process that
   changed one row sends it;
3. send and mark — sent, or back to pending with the error until the last attempt, then failed.

A process killed between claim and mark leaves a row in `sending`; after CLAIM_LEASE the next run
settles it: back to pending when the send had not begun (`handed_over_at` empty), else `unknown` —
it may have arrived, so no run sends it again. A send whose answer never came (a timeout after the
message left) is `unknown` too (homestretch.integrations.delivery). So no digest goes out twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from homestretch.accounts.choices import Role
from homestretch.accounts.models import User
from homestretch.agenda.services import agenda

from .choices import Channel, DeliveryStatus
from .delivery import OutcomeUnknown
from .digest import Digest, DigestEntry
from .email import EmailTransport
from .models import CLAIM_LEASE, MAX_DELIVERY_ATTEMPTS, DigestDelivery, NotificationSettings, TeamWebhook
from .webhook import WebhookTransport

logger = logging.getLogger(__name__)

# Builds the chat transport for a team's webhook URL; tests inject a short backoff.
WebhookFactory = Callable[[str, int], WebhookTransport]


@dataclass
class RemindReport:
    """What one run did; the command line prints it."""

    planned: int = 0  # outbox rows recorded by this run
    sent: dict[str, int] = field(default_factory=lambda: {Channel.EMAIL: 0, Channel.CHAT: 0})
    empty: int = 0  # digests with nothing due, not sent
    failed: int = 0  # attempts that failed in this run (retried by the next runs up to the limit)
    unknown: int = 0  # handed over with no answer: may have arrived, never sent again
    skipped: int = 0  # rows another process claimed first
    due: list[tuple[int, date, str]] = field(default_factory=list)  # (recruiter id, day, channel) for --dry-run

    @property
    def emails(self) -> int:
        return self.sent[Channel.EMAIL]

    @property
    def posts(self) -> int:
        return self.sent[Channel.CHAT]

    def as_dict(self) -> dict:
        return {"planned": self.planned, "emails_sent": self.emails, "chat_posts_sent": self.posts,
                "empty": self.empty, "failed": self.failed, "outcome_unknown": self.unknown,
                "claimed_elsewhere": self.skipped,
                "due": [{"recruiter_id": r, "day": d.isoformat(), "channel": c} for r, d, c in self.due]}


def due_digests(now: datetime) -> list[tuple[int, date, str]]:
    """(recruiter id, local day, channel) of every digest due at `now`, in three queries."""
    recruiters = list(User.objects.filter(is_active=True, role=Role.RECRUITER).values_list("id", "team_id"))
    chosen = {row.user_id: row for row in NotificationSettings.objects.all()}
    teams_with_webhook = set(TeamWebhook.objects.filter(enabled=True).values_list("team_id", flat=True))
    due: list[tuple[int, date, str]] = []
    for recruiter_id, team_id in recruiters:
        preferences = chosen.get(recruiter_id) or NotificationSettings(user_id=recruiter_id)
        day = preferences.digest_day(now)
        if day is None:
            continue
        due.extend((recruiter_id, day, channel) for channel in preferences.channels(team_id in teams_with_webhook))
    return due


def plan(now: datetime) -> tuple[int, list[tuple[int, date, str]]]:
    """Record every digest due at `now` in the outbox; returns how many rows were new, and the due list."""
    due = due_digests(now)
    if not due:
        return 0, due
    days = {day for _, day, _ in due}
    before = DigestDelivery.objects.filter(day__in=days).count()
    DigestDelivery.objects.bulk_create(
        [DigestDelivery(recruiter_id=r, day=d, channel=c, created_at=now) for r, d, c in due],
        ignore_conflicts=True,  # recorded already by an earlier run or another machine
    )
    return DigestDelivery.objects.filter(day__in=days).count() - before, due


def release_interrupted(now: datetime) -> int:
    """Settle the rows claimed longer than CLAIM_LEASE ago and never marked (the process died, or is stuck).

    A row whose send had not begun goes back to pending (returns how many); one whose send had begun
    may have arrived, or may still arrive from a process that is only slow: it is marked unknown and
    never sent again.
    """
    stale = DigestDelivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - CLAIM_LEASE)
    stale.filter(handed_over_at__isnull=False).update(
        status=DeliveryStatus.UNKNOWN,
        last_error="interrupted while sending: it may have arrived, so it is not sent again",
    )
    return stale.filter(handed_over_at__isnull=True).update(
        status=DeliveryStatus.PENDING, last_error="interrupted before sending",
    )


def claim(delivery_id: int, now: datetime) -> bool:
    """Take one pending row for this process; True when this process, and no other, got it."""
    changed = DigestDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, claimed_at=now, handed_over_at=None, attempts=F("attempts") + 1,
    )
    return changed == 1


def _digest_for(recruiter: User, day: date, now: datetime) -> Digest:
    items = agenda(day, now=now, recruiter_id=recruiter.pk)
    return Digest(recruiter_id=recruiter.pk, recruiter_email=recruiter.email, recruiter_name=recruiter.display_name,
                  day=day, entries=tuple(DigestEntry.from_item(item) for item in items))


def _mark(delivery: DigestDelivery, **changes) -> bool:
    """Change the row this process claimed; False when the claim is no longer this process's.

    The claim's moment keeps a released-and-reclaimed row safe. A row another run marked unknown while
    this one was still sending (past the lease) is still this one's to settle: it knows how it ended.
    """
    return DigestDelivery.objects.filter(
        pk=delivery.pk, status__in=[DeliveryStatus.SENDING, DeliveryStatus.UNKNOWN], claimed_at=delivery.claimed_at,
    ).update(**changes) == 1


def remind(
    now: datetime, *, dry_run: bool = False, email_transport: EmailTransport | None = None,
    webhook_factory: WebhookFactory | None = None,
) -> RemindReport:
    """Send every digest due at `now` that has not gone yet. Safe to run again and in parallel.

    E-mails are sent before chat posts, and each row is its own attempt, so a chat that is down
    never holds back an e-mail. With `dry_run`, nothing is recorded or sent; the report lists what is due.
    """
    report = RemindReport()
    if dry_run:
        due = due_digests(now)
        done = set(DigestDelivery.objects.filter(
            day__in={day for _, day, _ in due},
            status__in=[DeliveryStatus.SENT, DeliveryStatus.EMPTY, DeliveryStatus.FAILED],
        ).values_list("recruiter_id", "day", "channel"))
        report.due = [key for key in due if key not in done]
        return report
    report.planned, due = plan(now)
    release_interrupted(now)
    days = {day for _, day, _ in due}
    if not days:
        return report
    email_transport = email_transport or EmailTransport()
    webhook_factory = webhook_factory or (lambda url, team_id: WebhookTransport(url, team_id=team_id))
    pending = list(
        DigestDelivery.objects.filter(day__in=days, status=DeliveryStatus.PENDING)
        .values_list("id", "recruiter_id", "day", "channel")
    )
    # Every e-mail before any chat post: a slow or broken chat never holds an e-mail back.
    pending.sort(key=lambda row: (row[3] != Channel.EMAIL, row[1], row[2]))
    due_set = set(due)
    recruiters = User.objects.in_bulk({row[1] for row in pending})
    webhooks = dict(TeamWebhook.objects.filter(enabled=True).values_list("team_id", "url"))
    digests: dict[tuple[int, date], Digest] = {}
    for delivery_id, recruiter_id, day, channel in pending:
        if (recruiter_id, day, channel) not in due_set:
            continue  # the recruiter changed their settings since the row was recorded
        if not claim(delivery_id, now):
            report.skipped += 1
            continue
        delivery = DigestDelivery.objects.get(pk=delivery_id)
        recruiter = recruiters[recruiter_id]
        try:
            if (recruiter_id, day) not in digests:
                digests[(recruiter_id, day)] = _digest_for(recruiter, day, now)
            digest = digests[(recruiter_id, day)]
            if not digest.entries:
                _mark(delivery, status=DeliveryStatus.EMPTY, items=0, sent_at=now, last_error="")
                report.empty += 1
                continue
            # From here the digest may leave. Recorded first, so that a run finding this row after the
            # lease marks it unknown instead of sending it again; a claim released meanwhile is not sent.
            if not _mark(delivery, handed_over_at=now):
                report.skipped += 1
                continue
            if channel == Channel.EMAIL:
                email_transport.send(digest)
            else:
                team_id = recruiter.team_id
                url = None if team_id is None else webhooks.get(team_id)
                if team_id is None or url is None:
                    raise RuntimeError("the team has no chat webhook any more")
                webhook_factory(url, team_id).send(digest)
        except OutcomeUnknown as exc:
            # It may have arrived: marked, never sent again (a second copy is worse than a missing one).
            _mark(delivery, status=DeliveryStatus.UNKNOWN, last_error=f"{type(exc).__name__}: {exc}"[:300])
            logger.warning("digest %s (%s, day %s) for user %s: outcome unknown, not sent again", delivery_id,
                           channel, day, recruiter_id)
            report.unknown += 1
            continue
        except Exception as exc:  # noqa: BLE001 - any failure of one digest is recorded and the run goes on
            final = delivery.attempts >= MAX_DELIVERY_ATTEMPTS
            # The error's type and text, never the digest's content; transports keep names out of it.
            error = f"{type(exc).__name__}: {exc}"[:300]
            _mark(delivery, status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING, last_error=error)
            logger.warning("digest %s (%s, day %s) for user %s failed, attempt %d%s: %s", delivery_id, channel,
                           day, recruiter_id, delivery.attempts, " (giving up)" if final else "", type(exc).__name__)
            report.failed += 1
            continue
        _mark(delivery, status=DeliveryStatus.SENT, items=len(digest.entries), sent_at=now, last_error="")
        report.sent[channel] += 1
        logger.info("digest %s (%s, day %s) sent to user %s: %d entries", delivery_id, channel, day, recruiter_id,
                    len(digest.entries))
    return report


# --- Calendar feed tokens: the settings page and the command line use these.

def create_feed(user: User):
    """The user's active calendar feed, made when there is none."""
    from .models import CalendarFeed

    existing = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(user=user)
    except IntegrityError:  # made at the same moment by another request
        return CalendarFeed.objects.get(user=user, revoked_at__isnull=True)


def revoke_feed(user: User, now: datetime) -> int:
    """End the user's calendar feed: its URL answers 404 from now on. Returns how many were revoked."""
    from .models import CalendarFeed

    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
