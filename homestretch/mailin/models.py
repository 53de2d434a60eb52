"""Mail in: the messages taken in (touches made or waiting in Unmatched mail), a recruiter's other
addresses, where each IMAP mailbox was read up to, and what the messages said about the competition,
proposed to the recruiter and never applied by itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from homestretch.lib.money import DECIMAL_PLACES, MAX_DIGITS, Period, currency_choices
from homestretch.offers.choices import CompetingKind, CompetingStage
from homestretch.pipeline.choices import CompetitionAnswer, Direction

from .choices import MailStatus, ProposalKind, ProposalStatus, UnmatchedReason, Via


class RecruiterAddress(models.Model):
    """Another address a recruiter writes from (a personal alias, a shared desk), besides their login."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_addresses")
    address = models.EmailField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["address"]
        constraints = [
            models.UniqueConstraint(Lower("address"), name="recruiteraddress_address_unique",
                                    violation_error_message="This address is already someone's."),
        ]

    def __str__(self) -> str:
        return self.address


class MailMessage(models.Model):
    """One message as one team took it in: matched (touches made), or in the Unmatched mail list of
    its recruiter until attached to a candidate or dismissed. The same message reaching two teams
    (a candidate writing to two agencies' recruiters) is one row for each; the same message twice for
    one team (by SMTP and by IMAP) is refused by the unique fingerprint."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="mail_messages")
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="mail_messages"
    )
    candidate = models.ForeignKey(
        "pipeline.Candidate", null=True, blank=True, on_delete=models.CASCADE, related_name="mail_messages"
    )
    via = models.CharField(max_length=8, choices=Via.choices)
    status = models.CharField(max_length=12, choices=MailStatus.choices)
    unmatched_reason = models.CharField(max_length=24, choices=UnmatchedReason.choices, blank=True)
    # sha256 of the Message-ID with sender, date and subject (parsing.fingerprint_of).
    fingerprint = models.CharField(max_length=64)
    message_id = models.CharField(max_length=500, blank=True)
    direction = models.CharField(max_length=8, choices=Direction.choices)
    from_address = models.EmailField(max_length=320)
    recipients = models.TextField(blank=True, help_text="To and Cc, one address a line")
    subject = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField()
    new_text = models.TextField(blank=True)
    size = models.PositiveIntegerField()
    attachments = models.PositiveSmallIntegerField(default=0)
    touchpoints = models.ManyToManyField("pipeline.Touchpoint", blank=True, related_name="mail_messages")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["team", "status", "received_at"], name="mailmessage_team_status"),
            models.Index(fields=["recruiter", "status", "received_at"], name="mailmessage_recruiter_status"),
            models.Index(fields=["message_id"], name="mailmessage_message_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "fingerprint"], name="mailmessage_once_per_team",
                violation_error_message="This message has already been taken in.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=MailStatus.values), name="mailmessage_status_known",
                violation_error_message="Unknown status.",
            ),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} ({self.get_status_display()})"

    @property
    def at(self):
        return self.sent_at or self.received_at


class MailboxCursor(models.Model):
    """How far one IMAP mailbox has been read: the UIDs up to `last_uid` under `uid_validity` (RFC 3501:
    a new UIDVALIDITY means the UIDs were renumbered, and the mailbox is read again; the fingerprints
    keep that from making a touch twice)."""

    mailbox = models.CharField(max_length=500, unique=True, help_text="user@host:port/folder")
    uid_validity = models.BigIntegerField(default=0)
    last_uid = models.BigIntegerField(default=0)
    polled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.mailbox


def _money_field() -> models.DecimalField:
    return models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True)


class Proposal(models.Model):
    """Something a message or a touch's notes said about the home stretch, proposed to the candidate's
    team: a competing process or offer, the answer to "any other processes?", a notice period or start
    date. Nothing is applied until a recruiter of the team accepts it (then through the offers'
    and pipeline's services) or dismisses it."""

    candidate = models.ForeignKey("pipeline.Candidate", on_delete=models.CASCADE, related_name="mail_proposals")
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="mail_proposals")
    message = models.ForeignKey(MailMessage, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="proposals")
    touchpoint = models.ForeignKey("pipeline.Touchpoint", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="mail_proposals")
    said_at = models.DateTimeField(help_text="When it was said: the message's date, or the touch's")
    kind = models.CharField(max_length=20, choices=ProposalKind.choices)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    company = models.CharField(max_length=200, blank=True)
    competing_kind = models.CharField(max_length=12, choices=CompetingKind.choices, blank=True)
    stage = models.CharField(max_length=12, choices=CompetingStage.choices, blank=True)
    base = _money_field()
    currency = models.CharField(max_length=3, choices=currency_choices(), blank=True)
    period = models.CharField(max_length=8, choices=Period.choices, blank=True)
    deadline = models.DateField(null=True, blank=True)
    answer = models.CharField(max_length=16, choices=CompetitionAnswer.choices, blank=True)
    notice_days = models.PositiveSmallIntegerField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    evidence = models.CharField(max_length=500, blank=True, help_text="The sentence it was read from")
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    question = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="For an answer: the open question (an outbound e-mail) it answers; adding the answer marks "
                  "that e-mail's touch asked and answered",
    )
    competing_offer = models.ForeignKey("offers.CompetingOffer", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", help_text="The competing offer it became")

    class Meta:
        ordering = ["-said_at", "-id"]
        indexes = [models.Index(fields=["candidate", "team", "status"], name="proposal_candidate_team")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ProposalKind.values) & models.Q(status__in=ProposalStatus.values),
                name="proposal_kind_status_known", violation_error_message="Unknown kind or status.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
