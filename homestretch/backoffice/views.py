"""The back office's own address for signing in, /admin/login/, where Django's admin sends whoever it
does not let in."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    """Send a visitor to the app's one sign-in page (/login/?next=…), refuse a signed-in user who is not
    staff with the app's 403 page, and send staff on to where they were going.

    Django's admin sends every request it refuses here, signed in or not; the sign-in page sends a
    signed-in user straight back to `next`. Without the refusal a recruiter went round in a loop:
    /admin/ → /admin/login/ → /login/ → /admin/."""
    going_to = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(going_to, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        going_to = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(going_to, reverse("login"))
    if not admin.site.has_permission(request):
        role = getattr(request.user, "get_role_display", lambda: "user")().lower()
        raise PermissionDenied(
            f"The back office is for admins. You are signed in as a {role}: everything you may see and do "
            "is in the app; ask an admin for anything that needs the back office."
        )
    return redirect(going_to)
