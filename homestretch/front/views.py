"""The recruiter's pages: Today, the pipeline board, the application page and its forms, candidates, jobs
and clients, and the candidate search. Thin: every object comes through the access helpers, every
change goes through the services, and each page issues a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from homestretch.accounts.access import can_change_team, can_edit_shared_records, require_reader
from homestretch.accounts.choices import Role
from homestretch.accounts.models import User
from homestretch.accounts.requests import AuthenticatedHttpRequest
from homestretch.agenda.services import renewals_due, todays_agenda_page
from homestretch.lib.bulk_python import cycle_collector_paused
from homestretch.lib.money import format_amount
from homestretch.mailin import services as mail_services
from homestretch.offers import services as offer_services
from homestretch.offers.access import can_change_candidate_fact, get_competing_offer_for_user
from homestretch.offers.choices import CompetingStage, OfferStatus
from homestretch.pipeline import services, stages
from homestretch.pipeline.access import (
    can_change_application,
    can_change_candidate_facts,
    get_application_for_user,
    get_candidate_facts_for_user,
    get_candidate_for_user,
    get_client_for_user,
    get_job_for_user,
)
from homestretch.pipeline.choices import JobStatus, LossReason, Stage
from homestretch.pipeline.consent import OBJECTED_SENTENCE, RENEWAL_NOTICE_DAYS, renewal
from homestretch.pipeline.models import Application, Candidate, Client, Job
from homestretch.privacy.erasure import erasure_of
from homestretch.risk import snapshots
from homestretch.risk.engine import SCORED_STAGES, Risk, not_scored_because
from homestretch.risk.loader import applications_as_of, load_facts
from homestretch.risk.scoring import NotScored, current_scorer, risk_of
from homestretch.similar.services import similar_to
from homestretch.situation.build import Situation, build_situation
from homestretch.situation.facts import ApplicationFacts

from . import refused_moves
from .forms import (
    CloseJobForm,
    CompetingOfferForm,
    OfferForm,
    OfferStatusForm,
    PrioritiesForm,
    StageMoveForm,
    TouchpointForm,
    attach_errors,
)
from .timeline import ApplicationHistory, load_application_history

# How many cards a pipeline column shows; the rest are counted ("and 40 more"), so that the board
# stays readable and its render time bounded whatever the size of the pipeline.
CARDS_PER_COLUMN = 30
# How many rows a search or a list on a candidate, job or client page shows.
LIST_LIMIT = 100


def page_now() -> datetime:
    """The moment pages are drawn at: the clock, or settings.HOMESTRETCH_PAGES_NOW when a test or a
    frozen demo sets it (the rules themselves never read the clock)."""
    fixed = getattr(settings, "HOMESTRETCH_PAGES_NOW", None)
    return fixed if fixed is not None else timezone.now()


def _risks(facts: list[ApplicationFacts], at: datetime) -> dict[int, Risk]:
    return current_scorer().risks(facts, at) if facts else {}


def days_since_contact(facts: ApplicationFacts, at: datetime) -> int | None:
    last = facts.contacts.last_contact_at
    return None if last is None else (at.date() - last.date()).days


# --- The pipeline board ----------------------------------------------------------------------------

BOARD_STAGES: tuple[str, ...] = (*stages.PROCESS, Stage.ON_HOLD)
# The stages before the home stretch's last steps: by default the board shows them as their counts
# only, so that at 1280 px the final interview, verification, offer, accepted and on-hold columns are
# all in view (?early=1 shows them in full).
EARLY_STAGES: tuple[str, ...] = (Stage.SOURCED, Stage.SCREENING, Stage.INTERVIEWING)
# Why a card before the home stretch carries no risk: the engine scores from this stage on.
SCORED_FROM = next(Stage(stage).label for stage in stages.PROCESS if stage in SCORED_STAGES)
UNSCORED_NOTE = f"Scored from {SCORED_FROM.lower()} on"


@dataclass(frozen=True, slots=True)
class Card:
    facts: ApplicationFacts
    risk: Risk | None
    quiet_days: int | None
    key: str  # the application id, as the template writes it ten times per card (unlocalised)
    url: str
    move_url: str
    can_move: bool  # the user may change this application (their team's, or an admin); else read only
    unscored: str = ""  # before the home stretch: why the card carries no risk


def url_maker(name: str, argument: str) -> Callable[[int], str]:
    """A function id -> the URL of `name` for that id: reversed once, not once per card (the board
    draws 240 cards with two links each, and reversing costs as much as the rest of a card)."""
    marker = 2_000_000_001  # no real id: split the URL around it
    before, after = reverse(name, kwargs={argument: marker}).split(str(marker))
    return lambda pk: f"{before}{pk}{after}"


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _options(choices, selected: str = "") -> str:
    """The <option>s of a select, written once per page rather than once per card."""
    return format_html_join("", '<option value="{}"{}>{}</option>',
                            ((value, " selected" if value == selected else "", label) for value, label in choices))


def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open applications by stage, filterable by recruiter, client and job."""
    require_reader(request.user)
    now = page_now()
    default_recruiter = request.user.pk if request.user.role == Role.RECRUITER else None
    recruiter_id = _int_or_none(request.GET.get("recruiter")) if "recruiter" in request.GET else default_recruiter
    client_id = _int_or_none(request.GET.get("client"))
    job_id = _int_or_none(request.GET.get("job"))
    show_early = request.GET.get("early") == "1"
    shown_stages = BOARD_STAGES if show_early else tuple(s for s in BOARD_STAGES if s not in EARLY_STAGES)

    scope = applications_as_of(now, recruiter_id=recruiter_id)
    if client_id:
        scope = scope.filter(job__client_id=client_id)
    if job_id:
        scope = scope.filter(job_id=job_id)
    # The risk snapshots rank every open application of the scope and count the columns; only the
    # cards shown are loaded and scored afresh (everyone's pipeline holds thousands).
    scorer = current_scorer()
    snapshots.ensure_fresh(scope, now, scorer)
    shown, counts = snapshots.stage_ranking(scope, shown_stages, CARDS_PER_COLUMN)
    if not show_early:  # the early stages' counts only
        counts.update(snapshots.stage_ranking(scope, EARLY_STAGES, 1)[1])
    facts = load_facts(now, application_ids=shown, scored_only=False) if shown else []
    risks = scorer.risks(facts, now) if facts else {}
    columns: dict[str, list[Card]] = {stage: [] for stage in shown_stages}
    application_url, move_url = url_maker("application", "application_id"), url_maker("move_stage", "application_id")
    user = request.user
    may_change = {team_id: can_change_team(user, team_id) for team_id in {fact.team_id for fact in facts}}
    with cycle_collector_paused():
        for fact in facts:
            if fact.stage in columns:
                app_id = fact.application_id
                columns[fact.stage].append(Card(fact, risks.get(app_id), days_since_contact(fact, now), key=str(app_id),
                                                url=application_url(app_id), move_url=move_url(app_id),
                                                can_move=may_change[fact.team_id],
                                                unscored=UNSCORED_NOTE if not_scored_because(fact) else ""))
    board_columns, early_counts = [], []
    for stage in BOARD_STAGES:
        count = counts.get(stage, 0)
        if stage not in columns:
            early_counts.append({"stage": stage, "label": Stage(stage).label, "count": count})
            continue
        cards = sorted(columns[stage], key=lambda c: -(c.risk.probability or 0) if c.risk else 0)
        board_columns.append({"stage": stage, "label": Stage(stage).label, "cards": cards, "count": count,
                              "hidden": max(0, count - len(cards)),
                              "stage_options": _options(Stage.choices, selected=stage)})
    # The job filter lists the jobs of the chosen client, or those on the chosen recruiter's board;
    # across everyone's pipeline without a client, only the chosen job (choose a client first).
    jobs = Job.objects.select_related("client").only("id", "title", "client__name").order_by("client__name", "title")
    if client_id:
        jobs = jobs.filter(client_id=client_id)
    elif recruiter_id:
        jobs = jobs.filter(pk__in=Application.objects.filter(recruiter_id=recruiter_id, closed_at__isnull=True)
                           .values("job_id"))
    else:
        jobs = jobs.filter(pk=job_id or 0)
    recruiters = User.objects.filter(is_active=True).order_by("first_name", "last_name", "email")
    filters = {"recruiter": "" if recruiter_id is None else recruiter_id, "client": client_id or "",
               "job": job_id or ""}
    context = {
        "columns": board_columns,
        "early_counts": early_counts,
        "show_early": show_early,
        "early_link": "?" + urlencode({**filters, "early": "" if show_early else "1"}),
        "any_read_only": any(not card.can_move for cards in columns.values() for card in cards),
        "recruiter_options": _options([(str(u.pk), u.display_name) for u in recruiters], selected=str(recruiter_id)),
        "client_options": _options([(str(c.pk), c.name) for c in Client.objects.order_by("name").only("id", "name")],
                                   selected=str(client_id)),
        "job_options": _options([(str(j.pk), f"{j.client.name} · {j.title}") for j in jobs], selected=str(job_id)),
        "jobs_need_client": not client_id and not recruiter_id,
        "recruiter_id": recruiter_id, "client_id": client_id, "job_id": job_id,
        # Joined once here rather than once per card (the board draws up to 240 move forms).
        "loss_stages": " ".join(sorted(stages.LOSSES)),
        "closing_stages": " ".join(sorted(stages.CLOSED)),
        "here": request.get_full_path(),
        "loss_options": _options([("", "—"), *LossReason.choices]),
    }
    refused = refused_moves.take(request)
    if refused is not None:  # a move refused from this board: said on its card, and above the board
        context.update(
            refused=refused, refused_key=str(refused.application_id),
            refused_shown=any(card.key == str(refused.application_id) for cards in columns.values() for card in cards),
            refused_stage_options=_options(Stage.choices, selected=refused.values.get("to_stage", "")),
            refused_loss_options=_options([("", "—"), *LossReason.choices],
                                          selected=refused.values.get("loss_reason", "")))
    return render(request, "pipeline/board.html", context)


# --- The application page --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the comparison: what the candidate wants, our offer, or a competing offer."""

    title: str
    kind: str  # "priorities", "ours", "competing"
    base: str
    total: str
    remote: str
    date_label: str
    date: str
    note: str = ""
    gap: str = ""  # a sentence when this offer pays more than ours (same currency and period)


def _money(amount: Decimal | None, currency: str, period: str = "year") -> str:
    if amount is None:
        return "—"
    per = "" if period == "year" else f" a {period}"
    return f"{format_amount(amount)} {currency}{per}"


def _remote(policy: str, days: int | None, labels: dict[str, str]) -> str:
    if not policy:
        return "—"
    label = labels.get(policy, policy)
    return f"{label}, {days} days home" if days is not None and policy == "hybrid" else label


def comparison(history: ApplicationHistory, situation: Situation | None) -> list[Column]:
    """Priorities beside our offer beside the competing offers. The earliest start and every pay gap are
    the situation's (homestretch.situation), as the risk and the brief say them; a closed application
    (no situation) shows the recorded figures without comparing them."""
    from homestretch.offers.choices import RemotePreference
    from homestretch.pipeline.choices import RemotePolicy

    remote_labels = {**dict(RemotePolicy.choices), **dict(RemotePreference.choices)}
    columns: list[Column] = []
    wanted = history.current_priorities
    if wanted is not None:
        earliest = situation.earliest_start if situation is not None else None
        if earliest is not None:
            start = earliest.wanted_text
        elif wanted.earliest_start is not None:
            start = f"stated {wanted.earliest_start.isoformat()}"
        else:
            start = "—"
        columns.append(Column(
            "What the candidate wants", "priorities",
            base=f"min {_money(wanted.base_min, wanted.currency, wanted.period)}"
            f" · target {_money(wanted.base_target, wanted.currency, wanted.period)}",
            total="—", remote=_remote(wanted.remote_preference, wanted.remote_days, remote_labels),
            date_label="Earliest start", date=start, note=wanted.must_haves,
        ))
    ours = next((o for o in history.offers if o.status != OfferStatus.SUPERSEDED), None)
    if ours is not None:
        columns.append(Column(
            f"Our offer (revision {ours.revision}, {ours.get_status_display().lower()})", "ours",
            base=_money(ours.base, ours.currency, ours.period), total=_money(ours.total, ours.currency, ours.period),
            remote=_remote(ours.remote_policy, ours.remote_days, remote_labels),
            date_label="Start / expires",
            date=f"{ours.start_date or '—'} / {ours.expires_on or '—'}",
        ))
    compared = {}
    if situation is not None:
        compared = {competitor.fact.competing_id: competitor.comparison for competitor in situation.competitors
                    if competitor.comparison is not None}
    for rival in history.competing_offers:
        if rival.stage == CompetingStage.CLOSED:
            continue
        against = compared.get(rival.pk)
        gap = "" if against is None else _upper_first(against.sentence())
        total = _money(rival.total, rival.currency, rival.period)
        if rival.base is not None and rival.total is None:
            total = "not known"
        columns.append(Column(
            f"{rival.company} ({rival.get_stage_display().lower()})", "competing",
            base=_money(rival.base, rival.currency, rival.period), total=total,
            remote=_remote(rival.remote_policy, rival.remote_days, remote_labels),
            date_label="Deadline", date=rival.deadline.isoformat() if rival.deadline else "—",
            note=("Counteroffer. " if rival.is_counteroffer else "") + ("Told in confidence." if rival.confidential
                                                                      else ""),
            gap=gap,
        ))
    return columns


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _brief_url(application_id: int) -> str | None:
    try:
        return reverse("brief", kwargs={"application_id": application_id})
    except NoReverseMatch:
        return None


def _render_application(request: AuthenticatedHttpRequest, application: Application, *, status: int = 200,
                        **bound: Any) -> HttpResponse:
    now = page_now()
    history = load_application_history(application.pk)
    try:
        facts, risk = risk_of(application.pk, now)
        situation: Situation | None = build_situation(facts, now)
        not_scored = ""
    except NotScored as reason:
        risk, not_scored, situation = None, str(reason), None
    current = history.current_offer
    open_offer = current if current is not None and current.is_open else None
    offer_initial = {}
    if current is not None:
        offer_initial = {name: getattr(current, name) for name in OfferForm.Meta.fields}
    elif application.job.currency:
        offer_initial = {"currency": application.job.currency, "period": application.job.period,
                         "remote_policy": application.job.remote_policy, "remote_days": application.job.remote_days}
    can_change = can_change_application(request.user, application)
    context = {
        "changeable_competing": _changeable_competing(request.user, history),
        "application": application,
        "candidate": application.candidate,
        "job": application.job,
        "history": history,
        "timeline": history.timeline(),
        "risk": risk,
        "scored_with": current_scorer().label,
        "not_scored": not_scored,
        "columns": comparison(history, situation),
        "can_change": can_change,
        "brief_url": _brief_url(application.pk),
        "loss_stages": sorted(str(stage) for stage in stages.LOSSES),
        "closing_stages": sorted(str(stage) for stage in stages.CLOSED),
        "latest_offer": current,
        "open_offer": open_offer,
        "touch_form": bound.get("touch_form") or TouchpointForm(),
        "move_form": bound.get("move_form") or StageMoveForm(),
        "competing_form": bound.get("competing_form") or CompetingOfferForm(prefix="competing"),
        "priorities_form": bound.get("priorities_form") or PrioritiesForm(
            prefix="priorities",
            initial={name: getattr(history.current_priorities, name) for name in PrioritiesForm.Meta.fields}
            if history.current_priorities else None),
        "offer_form": bound.get("offer_form") or OfferForm(prefix="offer", initial=offer_initial),
        "offer_status_form": bound.get("offer_status_form") or OfferStatusForm(prefix="status"),
        "open_form": bound.get("open_form", ""),
    }
    if context["open_form"]:  # a refused form: a summary at the top of the page links to each error
        key, title, anchor = REFUSED_FORMS[context["open_form"]]
        context.update(error_form=context[key], error_form_title=title, error_anchor=anchor)
    return render(request, "pipeline/application.html", context, status=status)


# A refused form of the application page: its context name, its name in the page's error summary and
# the anchor of its box (the form's action ends with it, so that the page opens at the form).
REFUSED_FORMS = {
    "touch": ("touch_form", "The touch", "log-touch"),
    "move": ("move_form", "The move", "move"),
    "offer": ("offer_form", "Our offer", "offer"),
    "offer_status": ("offer_status_form", "The offer's new status", "offer-status"),
    "competing": ("competing_form", "The competing process", "competing"),
    "priorities": ("priorities_form", "The priorities", "priorities"),
}


def _changeable_competing(user: User, history: ApplicationHistory) -> set[int]:
    """The competing offers the user may edit: the link to edit one is shown only for these."""
    # Whether the user may add the candidate's facts (a record of no known team follows it): asked once,
    # whatever the records, so that the page's queries do not depend on them.
    may_add = can_change_candidate_facts(user, history.application.candidate)
    return {rival.pk for rival in history.competing_offers if can_change_candidate_fact(user, rival, may_add=may_add)}


def application_page(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = get_application_for_user(request.user, application_id)
    return _render_application(request, application)


def _back(request: AuthenticatedHttpRequest, application: Application, anchor: str = "") -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(reverse("application", kwargs={"application_id": application.pk}) + anchor)


@require_POST
def log_touch(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    """Log a touch, and the competing process it revealed, in one go."""
    application = get_application_for_user(request.user, application_id, for_change=True)
    form = TouchpointForm(request.POST)
    if form.is_valid():
        now = page_now()
        touchpoint = form.save(commit=False)
        touchpoint.application = application
        touchpoint.candidate_id = application.candidate_id
        touchpoint.recruiter = request.user
        touchpoint.at = now
        try:
            with transaction.atomic():
                services.log_touchpoint(touchpoint)
                rival = form.competing_offer(touchpoint)
                if rival is not None:
                    offer_services.record_competing_offer(rival, by=request.user)
                # What the notes say about other offers is proposed, as for an e-mail (homestretch.mailin).
                team_id = application.recruiter.team_id
                if team_id is not None:
                    mail_services.propose(touchpoint.notes, candidate=application.candidate, team_id=team_id,
                                          said_at=now, now=now, touchpoint=touchpoint, our_companies=(
                                              application.job.client.name, *([rival.company] if rival else [])))
        except ValidationError as refused:
            touchpoint.pk = None
            attach_errors(form, refused)
        else:
            noted = f", with the competing process at {rival.company}" if rival is not None else ""
            messages.success(request, f"Touch logged{noted}.")
            return _back(request, application, "#risk")
    return _render_application(request, application, touch_form=form, open_form="touch")


@require_POST
def move(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = get_application_for_user(request.user, application_id, for_change=True)
    form = StageMoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        move = services.StageMove(data["to_stage"], reason=data["reason"], loss_reason=data["loss_reason"],
                                  lessons=data["lessons"])
        try:
            services.move_stage(application.pk, move, by=request.user, at=page_now())
        except ValidationError as refused:
            attach_errors(form, refused)
        else:
            messages.success(request, f"Moved to {Stage(data['to_stage']).label}.")
            return _back(request, application)
    # Refused from the board: said on the board, on the card.
    return refused_moves.remember(request, application, form) or _render_application(
        request, application, move_form=form, open_form="move")


@require_POST
def add_competing(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = get_application_for_user(request.user, application_id)
    candidate = get_candidate_facts_for_user(request.user, application.candidate_id, for_change=True)
    form = CompetingOfferForm(request.POST, prefix="competing")
    if form.is_valid():
        rival = form.save(commit=False)
        rival.candidate = candidate
        rival.learned_at = page_now()
        try:
            offer_services.record_competing_offer(rival, by=request.user)
        except ValidationError as refused:
            attach_errors(form, refused)
        else:
            messages.success(request, f"Competing process at {rival.company} recorded.")
            return _back(request, application, "#compare")
    return _render_application(request, application, competing_form=form, open_form="competing")


def edit_competing(request: AuthenticatedHttpRequest, application_id: int, competing_id: int) -> HttpResponse:
    """Update a competing process or offer: its stage, pay, deadline, confidentiality."""
    application = get_application_for_user(request.user, application_id)
    rival = get_competing_offer_for_user(request.user, competing_id, for_change=request.method == "POST")
    if rival.candidate_id != application.candidate_id:
        from django.http import Http404

        raise Http404("This competing offer is another candidate's.")
    form = CompetingOfferForm(request.POST or None, instance=rival, prefix="competing")
    if request.method == "POST" and form.is_valid():
        try:
            offer_services.record_competing_offer(form.instance, by=request.user, at=page_now())
        except ValidationError as refused:
            attach_errors(form, refused)
        else:
            messages.success(request, f"Competing process at {rival.company} updated.")
            return _back(request, application, "#compare")
    return render(request, "pipeline/competing_edit.html",
                  {"application": application, "rival": rival, "form": form,
                   "can_change": can_change_candidate_fact(request.user, rival)})


@require_POST
def set_priorities(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = get_application_for_user(request.user, application_id)
    candidate = get_candidate_facts_for_user(request.user, application.candidate_id, for_change=True)
    form = PrioritiesForm(request.POST, prefix="priorities")
    if form.is_valid():
        priorities = form.save(commit=False)
        priorities.candidate = candidate
        try:
            offer_services.set_priorities(priorities, by=request.user, at=page_now())
        except ValidationError as refused:
            priorities.pk = None
            attach_errors(form, refused)
        else:
            messages.success(request, "Priorities recorded.")
            return _back(request, application, "#compare")
    return _render_application(request, application, priorities_form=form, open_form="priorities")


@require_POST
def record_offer(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = get_application_for_user(request.user, application_id, for_change=True)
    form = OfferForm(request.POST, prefix="offer")
    if form.is_valid():
        offer = form.save(commit=False)
        offer.application = application
        try:
            offer_services.record_offer(offer, by=request.user, at=page_now())
        except ValidationError as refused:
            offer.pk = None
            attach_errors(form, refused)
        else:
            messages.success(request, f"Offer revision {offer.revision} recorded.")
            return _back(request, application, "#compare")
    return _render_application(request, application, offer_form=form, open_form="offer")


@require_POST
def offer_status(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = get_application_for_user(request.user, application_id, for_change=True)
    form = OfferStatusForm(request.POST, prefix="status")
    latest = application.offers.exclude(status=OfferStatus.SUPERSEDED).order_by("-revision").first()
    if latest is None:
        form.add_error(None, "There is no offer yet: record one first.")
    elif form.is_valid():
        data = form.cleaned_data
        try:
            offer_services.set_offer_status(latest.pk, data["status"], by=request.user, at=page_now(),
                                            decline_reason=data["decline_reason"], won_by=data["won_by"])
        except ValidationError as refused:
            attach_errors(form, refused)
        else:
            messages.success(request, f"Offer is now {OfferStatus(data['status']).label.lower()}.")
            return _back(request, application, "#compare")
    return _render_application(request, application, offer_status_form=form, open_form="offer_status")


# --- Candidates, jobs, clients and the search ------------------------------------------------------


def _application_rows(applications: list[Application], at: datetime) -> list[dict[str, Any]]:
    """Each application with its risk, in a fixed number of queries for the whole list."""
    open_ids = [a.pk for a in applications if not a.is_closed]
    facts = load_facts(at, application_ids=open_ids, scored_only=False) if open_ids else []
    risks = _risks(facts, at)
    return [{"application": a, "risk": risks.get(a.pk)} for a in applications]


def candidates(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Candidates by name, e-mail or skill, whatever the accents and case ("ana muller" finds Ana Müller)."""
    require_reader(request.user)
    query = request.GET.get("q", "").strip()
    found = Candidate.objects.order_by("name")
    if query:
        found = found.search(query)
    found_list = list(found.only("id", "name", "email", "current_title", "current_employer", "skills",
                                 "location")[:LIST_LIMIT])
    return render(request, "candidates/list.html", {"query": query, "candidates": found_list,
                                                    "limit": LIST_LIMIT})


def candidate_page(request: AuthenticatedHttpRequest, candidate_id: int) -> HttpResponse:
    candidate = get_candidate_for_user(request.user, candidate_id)
    applications = list(candidate.applications.select_related("job__client", "recruiter").order_by("-created_at"))
    now = page_now()
    return render(request, "candidates/detail.html", {
        "candidate": candidate, "rows": _application_rows(applications, now),
        "competing": list(candidate.competing_offers.order_by("-learned_at")[:LIST_LIMIT]),
        "renewal": renewal(candidate.basis_renew_by, timezone.localtime(now).date()),
        "objected_sentence": OBJECTED_SENTENCE, "erasure": erasure_of(candidate.pk),
    })


def job_page(request: AuthenticatedHttpRequest, job_id: int, close_form: CloseJobForm | None = None) -> HttpResponse:
    job = get_job_for_user(request.user, job_id)
    close_job_context = {
        "close_form": close_form or CloseJobForm(),
        "can_close_job": job.status == JobStatus.OPEN and can_edit_shared_records(request.user),
    }
    applications = list(job.applications.select_related("candidate", "recruiter", "job__client")
                        .order_by("-created_at")[:LIST_LIMIT])
    return render(request, "candidates/job.html", {"job": job, "rows": _application_rows(applications, page_now()),
                                                   **close_job_context, "similar": similar_to(job)})


@require_POST
def close_job(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    """Close a job as Filled or Closed with its lessons; a refusal is shown beside the status."""
    job = get_job_for_user(request.user, job_id, for_change=True)
    form = CloseJobForm(request.POST)
    if form.is_valid():
        try:
            services.close_job(job.pk, status=form.cleaned_data["status"], lessons=form.cleaned_data["lessons"],
                               by=request.user, at=page_now())
        except ValidationError as refused:
            attach_errors(form, refused)
        else:
            messages.success(request, f"Job closed as {JobStatus(form.cleaned_data['status']).label}.")
            return redirect("job", job_id=job.pk)
    return job_page(request, job.pk, close_form=form)


def client_page(request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for_user(request.user, client_id)
    jobs = list(client.jobs.order_by("status", "title")[:LIST_LIMIT])
    applications = list(Application.objects.filter(job__client=client, closed_at__isnull=True)
                        .select_related("candidate", "recruiter", "job__client").order_by("-created_at")[:LIST_LIMIT])
    return render(request, "candidates/client.html", {
        "client": client, "jobs": jobs, "rows": _application_rows(applications, page_now()),
        "managers": list(client.hiring_managers.all()),
    })


# --- Today

SCOPES = (("mine", "Mine"), ("team", "My team"), ("everyone", "Everyone"))
# Rows shown at once: a team's or everyone's day can hold thousands; the most pressing come first.
ROWS_SHOWN = 100


def today(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who must be contacted today and why, overdue first, then the riskiest."""
    require_reader(request.user)
    user = request.user
    default = "mine" if user.role == Role.RECRUITER else ("team" if user.team_id else "everyone")
    scope = request.GET.get("scope", default)
    if scope not in dict(SCOPES) or (scope == "team" and not user.team_id):
        scope = default
    now = page_now()
    # Only today's agenda is drawn here, and only its first rows: the risk snapshots choose them, so
    # everyone's day (thousands of applications) is not loaded and scored whole on every visit.
    if scope == "mine":
        page = todays_agenda_page(now, ROWS_SHOWN, recruiter_id=user.pk)
    elif scope == "team":
        page = todays_agenda_page(now, ROWS_SHOWN, team_id=user.team_id)
    else:
        page = todays_agenda_page(now, ROWS_SHOWN)
    # Legal bases to renew, in the same scope: the recruiter's candidates, the team's, or everyone's.
    renewals = renewals_due(timezone.localtime(now).date(), ROWS_SHOWN,
                            recruiter_id=user.pk if scope == "mine" else None,
                            team_id=user.team_id if scope == "team" else None)
    scopes = [(key, label) for key, label in SCOPES if key != "team" or user.team_id]
    # "Log touch" only where the user may log one (their team's applications, or an admin).
    may_change = {team_id: can_change_team(user, team_id) for team_id in {item.facts.team_id for item in page.items}}
    changeable = {item.facts.application_id for item in page.items if may_change[item.facts.team_id]}
    return render(request, "agenda/today.html", {
        "changeable": changeable,
        "items": page.items, "total": page.total, "hidden": max(0, page.total - len(page.items)),
        "scope": scope, "scopes": scopes, "on": timezone.localtime(now).date(), "overdue": page.overdue,
        "show_recruiter": scope != "mine",
        "renewals": renewals, "renewal_notice_days": RENEWAL_NOTICE_DAYS,
    })
