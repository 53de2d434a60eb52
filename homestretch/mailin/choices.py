from django.db import models


class Via(models.TextChoices):
    """How a message came in."""

    SMTP = "smtp", "Drop address (SMTP)"
    IMAP = "imap", "Mailbox (IMAP)"
    UPLOAD = "upload", "Uploaded .eml"
    API = "api", "API"


class MailStatus(models.TextChoices):
    MATCHED = "matched", "Logged as a touch"
    UNMATCHED = "unmatched", "Unmatched"
    ATTACHED = "attached", "Attached to a candidate"
    DISMISSED = "dismissed", "Dismissed"


class UnmatchedReason(models.TextChoices):
    """Why a message waits in Unmatched mail, in the recruiter's words."""

    NO_CANDIDATE = "no_candidate", "No candidate has these addresses"
    NO_OPEN_APPLICATION = "no_open_application", "The candidate has no open application with your team"
    MANY_CANDIDATES = "many_candidates", "Sent to many candidates at once"
    UNVERIFIED_SENDER = "unverified_sender", "The sender's address could not be verified (DMARC/DKIM)"


class ProposalKind(models.TextChoices):
    COMPETING_OFFER = "competing_offer", "Competing process or offer"
    COMPETITION_ANSWER = "competition_answer", "Answer about the competition"
    # The recruiter asked about other processes in an outbound e-mail; no answer yet. The touch is marked
    # asked only with its answer (the pipeline's rule), so this waits for one: the candidate's reply, or
    # the answer the recruiter gives when confirming.
    COMPETITION_ASKED = "competition_asked", "Question about the competition, not yet answered"
    NOTICE = "notice", "Notice period or start date"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Added"
    DISMISSED = "dismissed", "Dismissed"
