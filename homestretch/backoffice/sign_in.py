"""Sign-in failures, pauses and sign-ins in the back office (django-axes' tables; the rules in
homestretch.accounts.sign_in_throttle). Written by the sign-in page only: viewed here, never added or
changed; an admin lifts a pause by unlocking the account or the address."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from homestretch.accounts.sign_in_throttle import ACCOUNT_LIMIT, ADDRESS_LIMIT, with_totals

from .base import HistoryAdmin, is_back_office_admin

COMMON = ("username", "ip_address", "user_agent", "path_info")


@admin.register(AccessAttempt)
class SignInFailuresAdmin(HistoryAdmin):
    """The failures still counting: one row per account typed, address and browser, forgotten 15 minutes
    after its last failure. The account's and the address's totals say whether sign-in is paused."""

    list_display = ("username", "ip_address", "failures_since_start", "attempt_time", "account_total",
                    "address_total", "paused")
    list_filter = ("attempt_time",)
    search_fields = ("username", "ip_address")
    fields = (*COMMON, "failures_since_start", "attempt_time")
    readonly_fields = fields
    actions = ("unlock_accounts", "unlock_addresses")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AccessAttempt]:
        return with_totals(super().get_queryset(request), timezone.now())

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a row is only part of a pause: unlock its account or address
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_back_office_admin(request) or admin.ModelAdmin.has_delete_permission(self, request, obj)

    @admin.display(description="Account's failures")
    def account_total(self, attempt: Any) -> str:
        return f"{attempt.account_failures} of {ACCOUNT_LIMIT}"

    @admin.display(description="Address's failures")
    def address_total(self, attempt: Any) -> str:
        return f"{attempt.address_failures} of {ADDRESS_LIMIT}"

    @admin.display(description="Sign-in paused", boolean=True)
    def paused(self, attempt: Any) -> bool:
        return attempt.account_failures >= ACCOUNT_LIMIT or attempt.address_failures >= ADDRESS_LIMIT

    @admin.action(description="Unlock the selected rows' accounts (forget their failures)", permissions=["delete"])
    def unlock_accounts(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        usernames = set(queryset.exclude(username=None).values_list("username", flat=True))
        forgotten = sum(AxesProxyHandler.reset_attempts(username=username) for username in usernames)
        self.message_user(request, f"Unlocked {len(usernames)} account(s): {forgotten} row(s) of failures forgotten.")

    @admin.action(description="Unlock the selected rows' addresses (forget their failures)", permissions=["delete"])
    def unlock_addresses(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        addresses = set(queryset.exclude(ip_address=None).values_list("ip_address", flat=True))
        forgotten = sum(AxesProxyHandler.reset_attempts(ip_address=address) for address in addresses)
        self.message_user(request, f"Unlocked {len(addresses)} address(es): {forgotten} row(s) of failures forgotten.")


@admin.register(AccessFailureLog)
class FailedSignInLogAdmin(HistoryAdmin):
    """Every failed sign-in, kept after its row above is forgotten (up to 1,000 per account typed);
    "locked out" marks the failure that paused sign-in and every try refused during the pause."""

    list_display = ("attempt_time", "username", "ip_address", "locked_out", "user_agent")
    list_filter = ("locked_out", "attempt_time")
    search_fields = ("username", "ip_address")
    fields = (*COMMON, "attempt_time", "locked_out")
    readonly_fields = fields


@admin.register(AccessLog)
class SignInLogAdmin(HistoryAdmin):
    """Every sign-in, and when it signed out."""

    list_display = ("attempt_time", "username", "ip_address", "logout_time", "user_agent")
    list_filter = ("attempt_time",)
    search_fields = ("username", "ip_address")
    fields = (*COMMON, "attempt_time", "logout_time")
    readonly_fields = fields
