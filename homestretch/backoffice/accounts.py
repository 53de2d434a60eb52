"""Teams, users and API tokens in the back office."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from homestretch.accounts.choices import Role
from homestretch.accounts.models import ApiToken, IdempotencyKey, Team, User

from .base import HistoryAdmin, HomestretchModelAdmin, ReadOnlyInline

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class MemberCount(TypedDict):
    """What TeamAdmin.get_queryset annotates on each team."""

    member_count: int


class MemberInline(ReadOnlyInline):
    model = User
    fields = ("email", "first_name", "last_name", "role", "is_active", "is_staff", "last_login")
    readonly_fields = fields
    verbose_name = "member"
    verbose_name_plural = "members"


@admin.register(Team)
class TeamAdmin(HomestretchModelAdmin):
    list_display = ("name", "member_count", "created_at")
    search_fields = ("name",)
    readonly_fields = ("created_at",)
    inlines = (MemberInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, team: WithAnnotations[Team, MemberCount]) -> int:
        return team.member_count


class UserCreationForm(auth_forms.AdminUserCreationForm):
    """A new user signs in with their e-mail; a recruiter needs a team (a model constraint)."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "role", "team")


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(HomestretchModelAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        ("Role", {"fields": ("role", "team")}),
        (
            "Back-office permissions",
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
                "classes": ("collapse",),
            },
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email", "first_name", "last_name", "role", "team",
                    "usable_password", "password1", "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("email", "first_name", "last_name", "team", "role", "is_active", "is_staff", "last_login")
    list_filter = ("role", "team", "is_active", "is_staff", "is_superuser")
    list_select_related = ("team",)
    search_fields = ("email", "first_name", "last_name", "team__name")
    ordering = ("email",)

    def save_model(self, request, obj, form, change):
        # An admin's role is exercised in the back office, which Django opens to staff only.
        if obj.role == Role.ADMIN:
            obj.is_staff = True
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(HistoryAdmin):
    """Personal API tokens: who has which, when used; revoke here (an action). Secrets are never stored,
    so a token is created by its user (/settings/tokens/) or with `homestretch token create`, not here."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("prefix", "name", "user__email")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("hashed_secret",)
    actions = ["revoke"]

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        from django.utils import timezone

        revoked = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{revoked} token(s) revoked.")


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(HistoryAdmin):
    """The API's Idempotency-Keys of the last 24 hours (homestretch/accounts/idempotency.py): which user
    sent which key to which endpoint, and what was answered. Kept and deleted by the API and the worker."""

    list_display = ("key", "endpoint", "user", "created_at", "response_status")
    list_filter = ("response_status",)
    list_select_related = ("user",)
    search_fields = ("key", "endpoint", "user__email")
    readonly_fields = ("user", "key", "endpoint", "created_at", "claimed_at", "response_status", "fingerprint")
    # The stored body repeats records shown in their own screens; the claim is a lock, not information.
    exclude = ("response_body", "response_content_type", "claim")
