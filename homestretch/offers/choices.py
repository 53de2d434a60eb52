from django.db import models


class OfferStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved by the client"
    EXTENDED = "extended", "Extended to the candidate"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    RENEGED = "reneged", "Reneged"
    WITHDRAWN = "withdrawn", "Withdrawn by the client"
    EXPIRED = "expired", "Expired"
    SUPERSEDED = "superseded", "Superseded by a revision"


# An open offer can still change; at most one per application.
OPEN_OFFER_STATUSES = (OfferStatus.DRAFT, OfferStatus.APPROVED, OfferStatus.EXTENDED)
# Losses need a reason (LossReason) so that we learn from them.
LOST_OFFER_STATUSES = (OfferStatus.DECLINED, OfferStatus.RENEGED)


class CompetingKind(models.TextChoices):
    EXTERNAL = "external", "Another company's process"
    COUNTEROFFER = "counteroffer", "Counteroffer from the current employer"


class CompetingStage(models.TextChoices):
    """How far a competing process has got; the order matters for risk."""

    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    FINAL = "final", "Final interview"
    OFFER = "offer", "Offer made"
    ACCEPTED = "accepted", "Offer accepted"
    CLOSED = "closed", "Closed"


class RemotePreference(models.TextChoices):
    ONSITE = "onsite", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Fully remote"
    ANY = "any", "No preference"
