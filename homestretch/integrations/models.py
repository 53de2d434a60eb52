"""What the reminders need to remember: who wants what, where, and what was already sent."""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from homestretch.lib.site import site_url

from . import delivery
from .choices import Channel, DeliveryStatus
from .outbound import RefusedURL, check_url

DEFAULT_DIGEST_HOUR = 8
# How many times one digest is tried (one try per `remind` run) before it is marked failed.
MAX_DELIVERY_ATTEMPTS = 3
# A digest claimed longer ago than this by a process that never marked it was interrupted (the process
# was killed, or is stuck): it goes back to pending if its send had not begun, else it is marked unknown
# and never sent again. Far longer than any send: EMAIL_TIMEOUT (20 s a step) and the webhook's 5 s.
CLAIM_LEASE = timedelta(minutes=15)


def validate_time_zone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(f"{name!r} is not a time zone; use a name such as Europe/Berlin.")


class NotificationSettings(models.Model):
    """A user's choice of reminders. A recruiter without a row gets the defaults below."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    digest_enabled = models.BooleanField("send me the daily digest", default=True)
    digest_hour = models.PositiveSmallIntegerField(
        "hour of the digest", default=DEFAULT_DIGEST_HOUR, validators=[MinValueValidator(0), MaxValueValidator(23)],
        help_text="The digest goes out at the first run of `homestretch remind` from this hour, in your time zone.",
    )
    time_zone = models.CharField(max_length=64, blank=True, validators=[validate_time_zone],
                                 help_text="Empty means the organisation's time zone.")
    by_email = models.BooleanField("by e-mail", default=True)
    by_chat = models.BooleanField("to my team's chat", default=False)

    class Meta:
        verbose_name = "notification settings"
        verbose_name_plural = "notification settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest_hour__gte=0, digest_hour__lte=23),
                name="notificationsettings_hour_0_to_23",
                violation_error_message="The digest hour is 0 to 23.",
            ),
        ]

    def __str__(self) -> str:
        return f"Notifications of {self.user}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone or settings.TIME_ZONE)

    def channels(self, team_has_webhook: bool) -> list[str]:
        chosen: list[str] = []
        if self.by_email:
            chosen.append(Channel.EMAIL)
        if self.by_chat and team_has_webhook:
            chosen.append(Channel.CHAT)
        return chosen

    def digest_day(self, now: datetime) -> date | None:
        """The local day whose digest is due at `now`, or None before the chosen hour (or when off)."""
        if not self.digest_enabled:
            return None
        local = now.astimezone(self.zone)
        return local.date() if local.hour >= self.digest_hour else None


class TeamWebhook(models.Model):
    """A team's Slack-compatible incoming webhook: recruiters who choose chat get their digest there."""

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="webhook")
    url = models.URLField("incoming-webhook URL", max_length=500)
    enabled = models.BooleanField(default=True)

    class Meta:
        verbose_name = "team chat webhook"

    def __str__(self) -> str:
        return f"Chat webhook of {self.team}"

    def clean(self) -> None:
        """https on a public internet address only (homestretch.integrations.outbound); checked again at send time."""
        if not self.url:
            return  # the field's own validation says it is required
        try:
            check_url(self.url)
        except RefusedURL as refused:
            raise ValidationError({"url": str(refused)}) from refused


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A secret calendar address for one user. Revoking it ends it for good; a new one has a new token."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="calendarfeed_one_active_per_user",
                violation_error_message="A user has one calendar feed at a time; revoke it to make a new one.",
            ),
        ]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"Calendar feed of {self.user} ({state})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("calendar-feed", kwargs={"token": self.token})

    def full_url(self, request: HttpRequest | None = None) -> str:
        """The feed's address: from HOMESTRETCH_SITE_URL, else from the request's own address."""
        return site_url(request) + self.get_absolute_url()


class DigestDelivery(models.Model):
    """The outbox: one row per recruiter, day and channel, written before anything is sent.

    A process claims a row with a conditional UPDATE (status pending -> sending) and sends only when
    exactly one row changed, so two machines or a second run never send the same digest twice; a
    failed attempt goes back to pending until MAX_DELIVERY_ATTEMPTS, and a run that crashed half-way
    leaves the rest pending for the next run.
    """

    recruiter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    day = models.DateField(help_text="The recruiter's local day of the digest.")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    items = models.PositiveIntegerField(null=True, blank=True, help_text="Agenda entries in the digest sent.")
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When the claimed attempt began to send: from then on it may arrive, and is never sent again "
                  "unless it certainly failed.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "digest delivery"
        verbose_name_plural = "digest outbox"
        ordering = ["-day", "recruiter_id", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["recruiter", "day", "channel"], name="digestdelivery_once_per_day",
                                    violation_error_message="This digest is already in the outbox."),
            models.CheckConstraint(condition=models.Q(status__in=DeliveryStatus.values),
                                   name="digestdelivery_status_known",
                                   violation_error_message="Unknown delivery status."),
            models.CheckConstraint(condition=models.Q(channel__in=Channel.values),
                                   name="digestdelivery_channel_known",
                                   violation_error_message="Unknown channel."),
        ]
        indexes = [models.Index(fields=["status", "day"], name="digestdelivery_status_day")]

    def __str__(self) -> str:
        return f"Digest {self.day} {self.channel} for user {self.recruiter_id} ({self.status})"

    @property
    def delivery_key(self) -> str:
        """What every attempt of this delivery carries, for the receiver to drop a repeat."""
        return delivery.delivery_key(self.recruiter_id, self.day, self.channel)
