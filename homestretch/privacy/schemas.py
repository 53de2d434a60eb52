from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, Field

from homestretch.lib.api_fields import Text500, has_text, rules


class ErasureIn(Schema):
    model_config = ConfigDict(json_schema_extra=rules(has_text("reason")))

    reason: Text500 = Field(description="Why the candidate is erased, kept in the audit: not only spaces, and never "
                                        "the candidate's name, e-mail or phone (422).")


class ErasureOut(Schema):
    """What was done, in counts: nothing about the person."""

    candidate_id: int
    erased_at: datetime
    cause: str
    applications: int = Field(description="Applications kept as de-identified outcomes")
    touchpoints: int = Field(description="Touch notes blanked")
    mail_messages: int = Field(description="E-mails kept about the candidate, deleted")
    mentions_redacted: int = Field(description="Other records whose text named the candidate, redacted")
    idempotent_responses: int = Field(description="Stored API responses that held the candidate, deleted")
    mail_files: int = Field(description="Mail files (digests written to files) cleaned")
    audit_entries: int = Field(description="Audit entries about the candidate scrubbed")
