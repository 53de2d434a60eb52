"""The admins' pages of data rights: erase a candidate (a confirmation page, then a page saying it is done)
and the candidates the retention period will erase within a week."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from homestretch.accounts.models import User
from homestretch.accounts.requests import AuthenticatedHttpRequest
from homestretch.audit.context import address_of
from homestretch.lib.refusals import place_on_form
from homestretch.pipeline.access import get_candidate_for_user

from .erasure import erase_candidate, erasure_of
from .forms import ErasureForm
from .retention import NOTICE, due_within_notice


def require_admin(user: User, what: str) -> None:
    """Erasure is irreversible and the retention list names people due for it: admins only."""
    if not (user.is_active and user.is_admin):
        raise PermissionDenied(f"Only an admin {what}.")


@require_http_methods(["GET", "HEAD", "POST"])
def erase_page(request: AuthenticatedHttpRequest, candidate_id: int) -> HttpResponse:
    """The confirmation: the reason typed and the irreversibility ticked, then the erasure."""
    candidate = get_candidate_for_user(request.user, candidate_id)
    require_admin(request.user, "erases a candidate")
    if erasure_of(candidate.pk) is not None:
        return redirect("candidate-erased", candidate_id=candidate.pk)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            erase_candidate(candidate.pk, reason=form.cleaned_data["reason"], by=request.user, at=timezone.now(),
                            address=address_of(request) or "")
        except ValidationError as refused:
            place_on_form(form, refused)
        else:
            return redirect("candidate-erased", candidate_id=candidate.pk)
    rejected = form.is_bound and bool(form.errors)
    return render(request, "privacy/erase.html", {"candidate": candidate, "form": form},
                  status=422 if rejected else 200)


@require_safe
def erased_page(request: AuthenticatedHttpRequest, candidate_id: int) -> HttpResponse:
    require_admin(request.user, "reads erasures")
    erasure = erasure_of(candidate_id)
    if erasure is None:
        raise Http404(f"Candidate {candidate_id} has not been erased.")
    return render(request, "privacy/erased.html", {"erasure": erasure})


@require_safe
def retention_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who the worker erases within a week if nothing happens: time to act on someone who should stay."""
    require_admin(request.user, "sees who the retention period erases")
    # The pages' moment (front.views.page_now): the clock, or the one a test or a frozen demo sets.
    now = getattr(settings, "HOMESTRETCH_PAGES_NOW", None) or timezone.now()
    return render(request, "privacy/retention.html", {
        "due": due_within_notice(now), "months": settings.RETENTION_MONTHS, "notice_days": NOTICE.days,
    })
