"""Idempotency keys: a write sent again with the same `Idempotency-Key` is answered with the first
response and writes nothing (the IETF draft "The Idempotency-Key HTTP Header Field", as Stripe does it).

A key belongs to one user and one endpoint (method and path) and names one request, told by its
fingerprint (a hash of its query and body). Processing a keyed request is two transactions:

1. `claim` inserts the key (the unique constraint makes two concurrent inserts one winner) and
   commits, so that a repeat arriving meanwhile sees it in progress (409) instead of running twice;
2. the endpoint runs and `keep` stores its response, in one transaction: a crash half-way leaves
   neither the records nor the response. `keep` is a conditional UPDATE on the claim, so a request
   whose claim was taken over (it ran past `CLAIM_LEASE`) writes nothing.

Only a success is kept. A refused or failed request wrote nothing: `release` forgets its key, and a
repeat runs again (with a corrected body too). Keys expire `KEY_LIFETIME` after their first use: an
expired key is a new key, and the expired keys of a user are deleted when the user claims a new one
(`delete_expired` sweeps everyone's, from the worker).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from .models import IdempotencyKey, User

HEADER = "Idempotency-Key"
KEY_LIFETIME = timedelta(hours=24)
# Longer than any request may run (gunicorn ends a worker after 30 s, which rolls its transaction
# back): a claim this old belongs to a request that died, and a repeat may take it over.
CLAIM_LEASE = timedelta(minutes=2)
MAX_KEY_LENGTH = 255
KEY_PATTERN = re.compile(r"[!-~]{1,%d}" % MAX_KEY_LENGTH)  # visible ASCII, no spaces  # noqa: UP031
KEY_RULE = f"1 to {MAX_KEY_LENGTH} visible ASCII characters (letters, digits, punctuation; no spaces)"
MAX_ENDPOINT_LENGTH = 300


@dataclass(frozen=True)
class StoredResponse:
    status: int
    content_type: str
    body: str


@dataclass(frozen=True)
class Claimed:
    """This request holds the key: run it, then `keep` its response or `release` the key."""

    key_id: int
    claim: str


@dataclass(frozen=True)
class Replay:
    """The key's request already succeeded: answer its response again."""

    response: StoredResponse


@dataclass(frozen=True)
class InProgress:
    """The key's request is being processed right now."""


@dataclass(frozen=True)
class Reused:
    """The key already named a different request (another body or query) on this endpoint."""


Outcome = Claimed | Replay | InProgress | Reused


def key_is_valid(key: str) -> bool:
    return KEY_PATTERN.fullmatch(key) is not None


def endpoint_of(method: str, path: str) -> str:
    return f"{method.upper()} {path}"[:MAX_ENDPOINT_LENGTH]


def fingerprint(query: str, body: bytes) -> str:
    """The request a key names: its query and its body, a JSON body in a canonical form (key order and
    spacing do not matter; values do)."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        content = canonical.encode("utf-8")
    except ValueError:  # not JSON (the endpoint will refuse it): the bytes as sent
        content = body
    return hashlib.sha256(query.encode("utf-8") + b"\n" + content).hexdigest()


def claim(user: User, key: str, endpoint: str, request_fingerprint: str, *, at: datetime) -> Outcome:
    """Take the key for this request, or say why not. Commits on its own: call it outside any
    transaction, before the request's writes."""
    new_claim = secrets.token_hex(16)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                IdempotencyKey.objects.filter(user=user, created_at__lte=at - KEY_LIFETIME).delete()
                row = IdempotencyKey.objects.create(
                    user=user, key=key, endpoint=endpoint, fingerprint=request_fingerprint, created_at=at,
                    claim=new_claim, claimed_at=at,
                )
            return Claimed(row.pk, new_claim)
        except IntegrityError:
            pass
        found = IdempotencyKey.objects.filter(user=user, key=key, endpoint=endpoint).first()
        if found is not None:
            row = found
            break
        # Released (or expired and swept) between our insert and this read: insert again.
    else:
        return InProgress()
    if row.created_at <= at - KEY_LIFETIME:
        # Expired since the sweep above (or a clock a little behind): a new key, taken over in place.
        taken = IdempotencyKey.objects.filter(pk=row.pk, created_at=row.created_at).update(
            fingerprint=request_fingerprint, created_at=at, claim=new_claim, claimed_at=at,
            response_status=None, response_content_type="", response_body="",
        )
        return Claimed(row.pk, new_claim) if taken else InProgress()
    if row.fingerprint != request_fingerprint:
        return Reused()
    if row.response_status is not None:
        return Replay(StoredResponse(row.response_status, row.response_content_type, row.response_body))
    if row.claimed_at > at - CLAIM_LEASE:
        return InProgress()
    # The request that claimed it died (its transaction rolled back with it): this repeat runs instead.
    taken = IdempotencyKey.objects.filter(pk=row.pk, claim=row.claim, response_status__isnull=True).update(
        claim=new_claim, claimed_at=at,
    )
    return Claimed(row.pk, new_claim) if taken else InProgress()


class ClaimLost(Exception):
    """Another request took this key over while this one ran: this one must write nothing."""


def keep(claimed: Claimed, response: StoredResponse) -> None:
    """Store the response of the claimed request; call it inside the transaction of the request's
    writes, so that both are committed or neither. Raises ClaimLost (roll back!) when the claim
    is no longer this request's."""
    kept = IdempotencyKey.objects.filter(
        pk=claimed.key_id, claim=claimed.claim, response_status__isnull=True
    ).update(response_status=response.status, response_content_type=response.content_type,
             response_body=response.body)
    if kept != 1:
        raise ClaimLost()


def release(claimed: Claimed) -> None:
    """Forget the key of a request that wrote nothing (refused or failed), so that a repeat runs."""
    IdempotencyKey.objects.filter(pk=claimed.key_id, claim=claimed.claim, response_status__isnull=True).delete()


def delete_expired(at: datetime) -> int:
    """Delete every key past its lifetime; returns how many."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lte=at - KEY_LIFETIME).delete()
    return deleted
