from django.db import models


class Stage(models.TextChoices):
    """Where an application stands. The order of the open stages is the order of the process."""

    SOURCED = "sourced", "Sourced"
    SCREENING = "screening", "Screening"
    INTERVIEWING = "interviewing", "Interviewing"
    FINAL_INTERVIEW = "final_interview", "Final interview"
    VERIFICATION = "verification", "Verification"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    STARTED = "started", "Started"
    # The ways out.
    DECLINED = "declined", "Declined"
    RENEGED = "reneged", "Reneged"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REJECTED = "rejected", "Rejected"
    ON_HOLD = "on_hold", "On hold"


class Outcome(models.TextChoices):
    """The derived status of an application, as odoo keeps it beside the stage."""

    ONGOING = "ongoing", "Ongoing"
    HIRED = "hired", "Hired"
    LOST = "lost", "Lost"


class LossReason(models.TextChoices):
    """Why a candidate was lost; shared by stage changes and our offers."""

    COMPENSATION = "compensation", "Compensation"
    COMPETING_OFFER = "competing_offer", "Competing offer"
    COUNTEROFFER = "counteroffer", "Counteroffer"
    REMOTE_OR_LOCATION = "remote_or_location", "Remote or location"
    ROLE_FIT = "role_fit", "Role fit"
    PROCESS_TOO_SLOW = "process_too_slow", "Process too slow"
    COMPANY_REPUTATION = "company_reputation", "Company reputation"
    PERSONAL = "personal", "Personal"
    OTHER = "other", "Other"


class RemotePolicy(models.TextChoices):
    ONSITE = "onsite", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class Seniority(models.TextChoices):
    JUNIOR = "junior", "Junior"
    MID = "mid", "Mid-level"
    SENIOR = "senior", "Senior"
    LEAD = "lead", "Lead"
    PRINCIPAL = "principal", "Principal"


class JobStatus(models.TextChoices):
    OPEN = "open", "Open"
    FILLED = "filled", "Filled"
    CLOSED = "closed", "Closed"


class ClientSize(models.TextChoices):
    STARTUP = "startup", "Start-up (under 50)"
    SMALL = "small", "Small (50-249)"
    MEDIUM = "medium", "Medium (250-999)"
    LARGE = "large", "Large (1,000+)"


class CandidateSource(models.TextChoices):
    LINKEDIN = "linkedin", "LinkedIn"
    REFERRAL = "referral", "Referral"
    JOB_BOARD = "job_board", "Job board"
    INBOUND = "inbound", "Applied directly"
    DATABASE = "database", "Our database"
    EVENT = "event", "Event or meetup"
    OTHER = "other", "Other"


class LegalBasis(models.TextChoices):
    """Why the agency may hold a candidate's data (GDPR art. 6): the candidate's consent, or the agency's
    legitimate interest in placing them, which the candidate may object to (art. 21)."""

    CONSENT = "consent", "Consent"
    LEGITIMATE_INTEREST = "legitimate_interest", "Legitimate interest"


class BasisObtainedHow(models.TextChoices):
    """How the basis was obtained: where a data-protection officer would look for the proof."""

    EMAIL = "email", "By e-mail"
    CALL = "call", "On a call"
    FORM = "form", "Through a form"
    MEETING = "meeting", "In a meeting"
    IMPORT = "import", "Imported with the record"
    OTHER = "other", "Other"


class Channel(models.TextChoices):
    CALL = "call", "Call"
    EMAIL = "email", "E-mail"
    MESSAGE = "message", "Message"
    MEETING = "meeting", "Meeting"
    VIDEO = "video", "Video call"


class Direction(models.TextChoices):
    OUTBOUND = "outbound", "Outbound"
    INBOUND = "inbound", "Inbound"


class CompetitionAnswer(models.TextChoices):
    DISCLOSED = "disclosed", "Disclosed"
    NONE = "none", "No other process"
    DECLINED_TO_SAY = "declined_to_say", "Declined to say"
