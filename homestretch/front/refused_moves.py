"""A move refused from the board is said on the board, on the card that was moved.

The board posts its moves to the application's move view with `next` set to the board's address.
When the move is refused (Declined at interviewing: "use Withdrawn"), the view keeps the refusal in
the session (`remember`) and goes back to the board at the card's first error (`#to-<id>`); the
board takes it once (`take`) and draws the card with its move form open, what was chosen kept, each error beside
its field, and a summary above the board linking to it. Without a `next` on the board, the
application page shows the refusal as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from homestretch.lib.refusals import NON_FIELD

SESSION_KEY = "refused_move"
# The move form's fields, as the card names its inputs (`to-<id>`, `loss-<id>`, ...).
CARD_INPUTS = {"to_stage": "to", "loss_reason": "loss", "reason": "reason", "lessons": "lessons"}


@dataclass(frozen=True, slots=True)
class RefusedMove:
    application_id: int
    candidate_name: str
    values: dict[str, str]  # what was chosen and typed, kept
    errors: dict[str, list[str]]  # by field of the move form; NON_FIELD for the move as a whole

    @property
    def general(self) -> str:
        """The errors about the move as a whole (templates cannot read `__all__`)."""
        return " ".join(self.errors.get(NON_FIELD, []))

    def links(self) -> list[dict[str, str]]:
        """Each error, with the id of the card's input it is about (the card's move box otherwise)."""
        key = self.application_id
        return [{"href": f"{CARD_INPUTS[field]}-{key}" if field in CARD_INPUTS else f"move-errors-{key}",
                 "text": message}
                for field, messages in self.errors.items() for message in messages]


def _is_board(target: str, request: HttpRequest) -> bool:
    if not target or not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                         require_https=request.is_secure()):
        return False
    try:
        return resolve(urlsplit(target).path).url_name == "board"
    except Resolver404:
        return False


def remember(request: HttpRequest, application: Any, form: forms.Form) -> HttpResponse | None:
    """Back to the board at the card, the refusal kept for it; None when the move was not made from
    the board (the application page then shows the form with its errors)."""
    target = request.POST.get("next", "")
    if not _is_board(target, request):
        return None
    errors = {field if field in CARD_INPUTS else NON_FIELD: list(messages) for field, messages in form.errors.items()}
    request.session[SESSION_KEY] = {
        "application_id": application.pk, "candidate_name": application.candidate.name,
        "values": {name: request.POST.get(name, "") for name in CARD_INPUTS}, "errors": errors,
    }
    # At the first error's input (or the card's move box): the browser scrolls to it and focuses it.
    first = next((field for field in CARD_INPUTS if field in errors), NON_FIELD)
    anchor = f"{CARD_INPUTS[first]}-{application.pk}" if first in CARD_INPUTS else f"move-errors-{application.pk}"
    return redirect(f"{target.split('#', 1)[0]}#{anchor}")


def take(request: HttpRequest) -> RefusedMove | None:
    """The refusal kept for the board, once."""
    kept = request.session.pop(SESSION_KEY, None)
    if not isinstance(kept, dict):
        return None
    return RefusedMove(int(kept["application_id"]), str(kept["candidate_name"]), dict(kept["values"]),
                       {str(field): list(messages) for field, messages in kept["errors"].items()})
