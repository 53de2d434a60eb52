"""Who the caller is and who the recruiters are, for clients that assign applications."""

from __future__ import annotations

from ninja import Schema


class UserOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    role: str
    team_id: int | None


class TeamOut(Schema):
    id: int
    name: str
