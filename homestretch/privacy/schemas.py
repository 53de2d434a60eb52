from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeAlias

from ninja import Schema
from pydantic import Field

from homestretch.lib.api_fields import Text500

# Some text that is not only spaces, without NUL: what check_reason keeps (the document says it, so that a
# client, and the fuzzer, knows "" and "  " are refused before sending them).
NOT_ONLY_SPACES = r"^[^\x00]*[^\s\x00][^\x00]*$"
Reason: TypeAlias = Annotated[Text500, Field(min_length=1, json_schema_extra={"pattern": NOT_ONLY_SPACES})]


class ErasureIn(Schema):
    reason: Reason = Field(description="Why the candidate is erased, kept in the audit: not only spaces, and never "
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
