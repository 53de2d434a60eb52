"""The audit in the API: the filters of GET /audit and an entry as it is answered."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, get_args

from ninja import Schema
from pydantic import Field

from homestretch.lib.api import PageQuery
from homestretch.lib.api_fields import Day, Id

from .choices import Kind
from .recording import OBJECT_TYPES

ObjectType = Literal["candidate", "application", "offer", "competing offer", "priorities", "user", "api token",
                     "client"]
assert set(get_args(ObjectType)) == set(OBJECT_TYPES), "the names of recording.OBJECT_TYPES, in the document"


class AuditFilters(PageQuery):
    actor_id: Id | None = Field(None, description="Entries by this user.")
    object_type: ObjectType | None = Field(None, description="Entries about this type of object.")
    object_id: Id | None = Field(None, description="Entries about the object with this id (of any type without "
                                 "`object_type`).")
    kind: Kind | None = Field(None, description="Entries of this kind.")
    date_from: Day | None = Field(None, alias="from", description="First day, YYYY-MM-DD, in the installation's "
                                  "time zone.")
    date_to: Day | None = Field(None, alias="to", description="Last day, YYYY-MM-DD, included.")
    before_id: Id | None = Field(None, description="Entries older than this one (its id): to walk a long trail "
                                 "page by page without `offset`.")


class ChangeOut(Schema):
    field: str
    before: Any = Field(description="The value before: text, a number, true/false or null.")
    after: Any = Field(description="The value after.")


class AuditEntryOut(Schema):
    id: int
    at: datetime
    kind: str = Field(description="What happened: " + ", ".join(Kind.values) + ".")
    actor_id: int | None = Field(description="The user who acted; null for the command line or nobody signed in.")
    actor: str = Field(description="Who acted: the user's e-mail as it was, or `command line (<OS user>)`; "
                       "empty for a failed sign-in.")
    address: str | None = Field(description="The client's address; null for the command line.")
    object_type: str = Field(description="The type of object: " + ", ".join(OBJECT_TYPES) + "; empty for none.")
    object_id: int | None
    object_label: str = Field(description="The object, named by type and id (never by a person's name).")
    changes: list[ChangeOut] = Field(description="Each changed field with its value before and after.")
    detail: dict[str, Any] = Field(description="Other facts of the entry (the audience of a brief, the counts of "
                                   "an import, the account typed in a failed sign-in).")
