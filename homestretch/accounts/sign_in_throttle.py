"""The sign-in throttle: django-axes' database handler, with one limit for an account and another for
an address.

axes counts failed sign-ins per lockout parameter (AXES_LOCKOUT_PARAMETERS: the account typed, and
apart from it the address) but compares every count with one limit, AXES_FAILURE_LIMIT; a callable
limit gets the request, not the parameter being counted. The rule has two limits: 5 failures for an
account, 20 from an address, within the 15-minute cool-off. So `get_failures`, the one number axes
compares with AXES_FAILURE_LIMIT (the account's 5), is the account's failures, raised to that limit
once the address has reached its own 20. Everything else is axes' own: failures recorded in the
database (shared by every app server and worker process), the refusal before the password is checked,
the cool-off, the log lines, the `axes_reset_*` commands.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Max, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from homestretch.lib.client_address import client_address

from .models import User

logger = logging.getLogger(__name__)

ACCOUNT_LIMIT: int = settings.AXES_FAILURE_LIMIT
ADDRESS_LIMIT: int = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
COOL_OFF: timedelta = settings.AXES_COOLOFF_TIME


@dataclass(frozen=True, slots=True)
class Failures:
    count: int
    last: datetime | None


@dataclass(frozen=True, slots=True)
class Pause:
    """Sign-in is refused until `until`, because the account (or the address) reached its limit."""

    of: Literal["account", "address"]
    limit: int
    until: datetime


class AxesRequest(HttpRequest):
    """A sign-in request as axes' proxy handler hands it to the handler, with what it read from it. For the
    type checker alone (homestretch.accounts.requests); no request is built from it."""

    axes_locked_out: bool
    axes_attempt_time: datetime
    axes_ip_address: str | None
    axes_user_agent: str
    axes_path_info: str
    axes_http_accept: str


def _failures(attempts: QuerySet[AccessAttempt]) -> Failures:
    totals = attempts.aggregate(count=Sum("failures_since_start"), last=Max("attempt_time"))
    return Failures(totals["count"] or 0, totals["last"])


def with_totals(attempts: QuerySet[AccessAttempt], at: datetime) -> QuerySet[AccessAttempt]:
    """Each row with `account_failures` and `address_failures`: what its account and its address count against
    their limits at `at` (the back office's list, in one query however many rows)."""
    recent = AccessAttempt.objects.filter(attempt_time__gte=at - COOL_OFF).order_by()

    def total(field: str) -> Coalesce:
        of_same = recent.filter(**{field: OuterRef(field)}).values(field).annotate(n=Sum("failures_since_start"))
        return Coalesce(Subquery(of_same.values("n")[:1]), 0)

    return attempts.annotate(account_failures=total("username"), address_failures=total("ip_address"))


def account_typed(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The account a sign-in names, as accounts are stored: e-mails are kept lower-case and may be typed
    in any case, so "Alice@Example.com" is alice@example.com's fifth try, not another account's first."""
    typed = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if typed is None and request is not None:
        typed = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    if typed is None:
        return None
    return str(typed).strip().lower() or None


def address_counted(request: HttpRequest) -> str | None:
    """The address failures count against: the client's (homestretch.lib.client_address); for IPv6 its /64
    network, which a subscriber usually holds whole, so that moving inside it buys no new tries."""
    address = client_address(request)
    if address is None:
        return None
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def described_for_the_log(username: str | None, ip_address: str | None, user_agent: str, path_info: Any,
                          request: HttpRequest) -> str:
    """How axes' log lines name a sign-in: the account's user id, or that no account has that e-mail, and the
    address. Never what was typed: people type their password into the e-mail field."""
    user_id = User.objects.filter(email__iexact=username).values_list("pk", flat=True).first() if username else None
    account = f"user {user_id}" if user_id else "no such account"
    path = path_info[0] if isinstance(path_info, tuple | list) else path_info
    return f"{{account: {account}, address: {ip_address}, path: {path}}}"


class SignInThrottle(AxesDatabaseHandler):
    """axes' database handler with the account's limit and the address's (see the module's docstring)."""

    def failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> tuple[Failures, Failures]:
        """The failures of the account typed and those from the request's address, within the cool-off."""
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        none = Failures(0, None)
        return (_failures(recent.filter(username=username)) if username else none,
                _failures(recent.filter(ip_address=address)) if address else none)

    def pause(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> Pause | None:
        """Why and until when sign-in is refused for this request, or None when it is not."""
        account, address = self.failures(request, credentials)
        cool_off = get_cool_off(request) or COOL_OFF
        if account.count >= ACCOUNT_LIMIT and account.last is not None:
            return Pause("account", ACCOUNT_LIMIT, account.last + cool_off)
        if address.count >= ADDRESS_LIMIT and address.last is not None:
            return Pause("address", ADDRESS_LIMIT, address.last + cool_off)
        return None

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The number axes compares with AXES_FAILURE_LIMIT (the account's limit)."""
        account, address = self.failures(request, credentials)
        return max(account.count, ACCOUNT_LIMIT) if address.count >= ADDRESS_LIMIT else account.count

    def user_login_failed(self, sender: Any, credentials: dict[str, Any], request: AxesRequest | None = None,
                          **kwargs: Any) -> None:
        """A failure, as axes records it; and a sign-in refused during a pause (the backend flagged it before
        any password was checked), which axes leaves uncounted so that the pause ends 15 minutes after the
        failure that set it: logged, and kept in the failure log for admins."""
        if request is not None and request.axes_locked_out:
            username = get_client_username(request, credentials)
            logger.warning("Sign-in refused during a pause: %s", described_for_the_log(
                username, request.axes_ip_address, request.axes_user_agent, request.axes_path_info, request))
            if settings.AXES_ENABLE_ACCESS_FAILURE_LOG:
                AccessFailureLog.objects.create(
                    username=username, ip_address=request.axes_ip_address, user_agent=request.axes_user_agent,
                    http_accept=request.axes_http_accept, path_info=request.axes_path_info,
                    attempt_time=request.axes_attempt_time, locked_out=True,
                )
                if username:
                    self.remove_out_of_limit_failure_logs(username=username)
        super().user_login_failed(sender, credentials, request, **kwargs)
