"""The back office's building blocks: role-aware permissions, read-only history, inlines.

The back office follows the same roles as the rest of the product (homestretch.accounts.access): a
staff member whose role is admin may do everything there; other staff need Django permissions.
History and audit trails are written by the services and are read-only here. The back office writes
through the services too (each admin's `save_model`, and `delete_service` for deletes), so that what
is derived from a row (touch summaries, the risk snapshots' generation) is kept in the same
transaction: nothing listens to saves (homestretch.pipeline.changes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.db import models
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse


def is_back_office_admin(request: HttpRequest) -> bool:
    """An active staff member with the admin role (or a superuser): everything in the back office."""
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "is_admin", False))


class HomestretchModelAdmin(admin.ModelAdmin):
    """The base of every Homestretch admin: role-aware permissions, history deleted with its owner."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # "acme.com" is https://acme.com
    # The service that deletes one row and keeps what is derived from it (a staticmethod); the
    # delete page and the "delete selected" action both go through it. None: a plain delete, for rows
    # nothing is derived from (or only by cascade).
    delete_service: Callable[[Any], object] | None = None

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        if self.delete_service is None:
            super().delete_model(request, obj)
        else:
            self.delete_service(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        if self.delete_service is None:
            super().delete_queryset(request, queryset)
        else:
            for obj in queryset:
                self.delete_service(obj)

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
