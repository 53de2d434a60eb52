"""Back office for teams and users, and the admin building blocks the other apps share.

The back office follows the same roles as the rest of the product (see access.py): a staff member
whose role is admin may do everything there; other staff need Django permissions. History and
audit trails are written by the services and are read-only here.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from .choices import Role
from .models import ApiToken, Team, User


def is_back_office_admin(request: HttpRequest) -> bool:
    """An active staff member with the admin role (or a superuser): everything in the back office."""
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "is_admin", False))


class HomestretchModelAdmin(admin.ModelAdmin):
    """The base of every Homestretch admin: role-aware permissions, history deleted with its owner."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # "acme.com" is https://acme.com

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        """Join what names a row everywhere, not only in the changelist: change pages, autocomplete
        results and actions show the same names. (The changelist itself would ignore
        list_select_related once the queryset joins anything.)"""
        queryset = super().get_queryset(request)
        if isinstance(self.list_select_related, tuple | list):
            queryset = queryset.select_related(*self.list_select_related)
        return queryset

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_back_office_admin(request) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_back_office_admin(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_back_office_admin(request) or super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_back_office_admin(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_back_office_admin(request) or super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request: HttpRequest):
        """History rows are nobody's to delete one by one, but they go with what they record:
        erasing a candidate on request erases their stage changes and offer audit trail too."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        history = {
            model_admin.model._meta.verbose_name
            for model_admin in self.admin_site._registry.values()
            if isinstance(model_admin, HistoryAdmin)
        }
        return to_delete, model_count, perms_needed - history, protected


class HistoryAdmin(HomestretchModelAdmin):
    """A history or audit trail written by the services: viewable, never added, changed or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class HomestretchInline(admin.TabularInline):
    """An inline with the same role-aware permissions as HomestretchModelAdmin."""

    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_back_office_admin(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_back_office_admin(request) or super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_back_office_admin(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_back_office_admin(request) or super().has_delete_permission(request, obj)


class ReadOnlyInline(HomestretchInline):
    """Rows shown under their parent for context; each is opened and changed on its own page."""

    can_delete = False
    show_change_link = True
    # What each row's name and read-only fields need, joined in the one query of the inline.
    select_related: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related(*self.select_related)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


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
    def member_count(self, team: Team) -> int:
        return team.member_count  # type: ignore[attr-defined]


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


def render_intermediate_form(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    title: str,
    form: forms.Form,
    rows: list[tuple[Model, str]],
    submit_label: str,
    cancel_url: str,
    action: str | None = None,
    original: Model | None = None,
) -> TemplateResponse:
    """The page between choosing an action and doing it: a small form over the chosen objects.

    With `action`, the form posts back to the changelist as the admin action of that name, the
    chosen objects as hidden inputs; without, it posts to the page that rendered it.
    """
    request.current_app = model_admin.admin_site.name
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "form": form,
        "rows": rows,
        "submit_label": submit_label,
        "cancel_url": cancel_url,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "original": original,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/homestretch/intermediate_form.html", context)


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
