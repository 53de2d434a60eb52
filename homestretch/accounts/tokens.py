"""Personal API tokens: create (the secret is shown once), verify, revoke.

A token reads `hs_<prefix>_<secret>`. Only the SHA-256 hash of the whole token is stored, so a
copy of the database gives no usable token; the short prefix lets people tell their tokens apart.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError

from .models import ApiToken, User

TOKEN_PREFIX = "hs_"  # noqa: S105 - the visible start of every token, not a secret
# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token, shown once and never stored


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", errors="replace")).hexdigest()


def create_token(user: User, *, name: str = "", at: datetime) -> NewToken:
    """A new token for `user`; the returned secret is the only copy of it."""
    name = (name or "").strip()
    if len(name) > 100:
        raise ValidationError({"name": "A token's name has at most 100 characters."})
    if not user.is_active:
        raise ValidationError({"user": "This user is inactive and cannot have tokens."})
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, hashed_secret=hash_token(raw), created_at=at)
    return NewToken(token=token, secret=raw)


def verify_token(raw: str, *, at: datetime) -> User | None:
    """The active user a token belongs to, or None for an unknown, revoked or malformed token."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(hashed_secret=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or at - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=at)
    return token.user


def revoke_token(token_id: int, *, user: User | None, at: datetime) -> ApiToken:
    """Revoke a token. With `user`, only that user's own tokens (admins: anyone's); None is the console."""
    tokens = ApiToken.objects.all()
    if user is not None and not user.is_admin:
        tokens = tokens.filter(user=user)
    token = tokens.filter(pk=token_id).first()
    if token is None:
        raise ApiToken.DoesNotExist(f"No token with id {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = at
        token.save(update_fields=["revoked_at"])
    return token
