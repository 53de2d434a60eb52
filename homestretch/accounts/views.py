import math

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .models import ApiToken
from .requests import AuthenticatedHttpRequest
from .sign_in_throttle import COOL_OFF, SignInThrottle
from .tokens import create_token, revoke_token


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: the app answers and its database does."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure makes the instance unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@require_http_methods(["GET", "POST"])
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's personal API tokens: list, create (the secret is shown once, on this answer), revoke."""
    new_secret = None
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            try:
                new = create_token(request.user, name=request.POST.get("name", ""), at=timezone.now())
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                new_secret = new.secret  # rendered once, never stored: no redirect, or it would be lost
        elif action == "revoke":
            try:
                revoke_token(int(request.POST.get("token_id", "")), user=request.user, at=timezone.now())
            except (ValueError, ApiToken.DoesNotExist):
                error = "No such token of yours."
            else:
                messages.success(request, "The token is revoked: it no longer opens the API.")
                return redirect("api-tokens")
        else:
            error = "Unknown action."
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    status = 400 if error else 200
    return render(request, "accounts/tokens.html", {"tokens": tokens, "new_secret": new_secret, "error": error},
                  status=status)


def sign_in_paused(request: HttpRequest, original_response: HttpResponse | None = None,
                   credentials: dict | None = None) -> HttpResponse:
    """The sign-in page's answer while sign-in is paused (AXES_LOCKOUT_CALLABLE): 429, what happened, until
    when, and what to do. The same words whether or not the e-mail has an account."""
    pause = SignInThrottle().pause(request, credentials)
    response = render(request, "registration/sign_in_paused.html",
                      {"pause": pause, "minutes": int(COOL_OFF.total_seconds() // 60)}, status=429)
    if pause is not None:
        response["Retry-After"] = str(max(1, math.ceil((pause.until - timezone.now()).total_seconds())))
    return response
