"""The Insights page: the organisation's figures about losing candidates for a period and filters, each chart
drawn on the server with its table beneath, every table exported to CSV (formula-safe, and without a
competitor's name told in confidence). The figures are homestretch.insights.figures'; this module only
reads the filters, draws and formats."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from homestretch.accounts.access import require_reader
from homestretch.accounts.choices import Role
from homestretch.accounts.models import Team, User
from homestretch.accounts.requests import AuthenticatedHttpRequest
from homestretch.audit.choices import Kind
from homestretch.audit.trail import record_request
from homestretch.insights.client_report import build_client_report, render_markdown
from homestretch.insights.figures import Filters, Insights, default_period
from homestretch.insights.services import ALL_TEAMS, Asked, can_read_confidential_names, filters_for, insights_for
from homestretch.insights.tables import TABLE_KEYS, Table, table_named, tables
from homestretch.lib.refusals import place_on_form
from homestretch.pipeline.access import get_client_for_user
from homestretch.pipeline.choices import CandidateSource, Seniority
from homestretch.pipeline.models import Client

from .charts import bar_chart, interval_chart, trend_chart
from .views import page_now


class InsightsFilterForm(forms.Form):
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.ChoiceField(required=False, label="Team")
    recruiter = forms.TypedChoiceField(required=False, label="Recruiter", coerce=int, empty_value=None)
    client = forms.TypedChoiceField(required=False, label="Client", coerce=int, empty_value=None)
    seniority = forms.ChoiceField(required=False, label="Seniority",
                                  choices=[("", "Any seniority"), *Seniority.choices])
    source = forms.ChoiceField(required=False, label="Candidate source",
                               choices=[("", "Any source"), *CandidateSource.choices])
    currency = forms.CharField(required=False, label="Currency", max_length=3,
                               widget=forms.TextInput(attrs={"size": 4, "placeholder": "Any"}))

    def __init__(self, data: Any, user: User) -> None:
        super().__init__(data)
        default_team = "your team" if user.role == Role.RECRUITER and user.team_id else "all teams"
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ChoiceField), "declared above"
        teams = Team.objects.order_by("name").values_list("pk", "name")
        team_field.choices = [("", f"Default ({default_team})"), (ALL_TEAMS, "All teams"),
                              *((str(pk), name) for pk, name in teams)]
        recruiter_field = self.fields["recruiter"]
        assert isinstance(recruiter_field, forms.ChoiceField), "declared above"
        recruiter_field.choices = [("", "Everyone"), *(
            (str(pk), f"{first} {last}".strip() or email) for pk, first, last, email in
            User.objects.filter(role__in=[Role.RECRUITER, Role.ADMIN], is_active=True)
            .order_by("first_name", "last_name").values_list("pk", "first_name", "last_name", "email"))]
        client_field = self.fields["client"]
        assert isinstance(client_field, forms.ChoiceField), "declared above"
        clients = Client.objects.order_by("name").values_list("pk", "name")
        client_field.choices = [("", "All clients"), *((str(pk), name) for pk, name in clients)]

    def asked(self) -> Asked:
        data = self.cleaned_data
        team = data.get("team") or None
        return Asked(
            date_from=data.get("date_from"), date_to=data.get("date_to"),
            team=int(team) if team and team != ALL_TEAMS else team,
            recruiter=data.get("recruiter"), client=data.get("client"), seniority=data.get("seniority") or None,
            source=data.get("source") or None, currency=(data.get("currency") or "").strip() or None,
        )


# The form's field for each field a refusal names (the services speak the API's words).
FORM_FIELDS = {"from": "date_from", "to": "date_to"}


def _filters(request: AuthenticatedHttpRequest) -> tuple[InsightsFilterForm, Filters | None]:
    form = InsightsFilterForm(request.GET or None, request.user)
    if request.GET and not form.is_valid():
        return form, None
    asked = form.asked() if request.GET else Asked()
    try:
        return form, filters_for(request.user, asked, now=page_now())
    except ValidationError as refused:
        if hasattr(refused, "error_dict"):
            refused = ValidationError({FORM_FIELDS.get(field, field): errors
                                       for field, errors in refused.error_dict.items()})
        place_on_form(form, refused)
        return form, None
    except Http404 as missing:
        form.add_error(None, str(missing))
        return form, None


def insights_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The figures for the period and filters asked, with a chart and its table for each."""
    require_reader(request.user)
    form, filters = _filters(request)
    context: dict[str, Any] = {"form": form, "filters": filters, "filter_query": request.GET.urlencode()}
    if filters is not None:
        figures = insights_for(request.user, filters, now=page_now())
        context.update(_page_context(figures, shows_names=can_read_confidential_names(request.user)))
    return render(request, "insights/insights.html", context)


def _page_context(figures: Insights, *, shows_names: bool) -> dict[str, Any]:
    by_key = {table.key: table for table in tables(figures)}
    summary = figures.summary
    months = [(month, s.acceptance_rate.value, s.acceptance_rate.low, s.acceptance_rate.high)
              for month, s in figures.by_month]

    def bands(rows: Any) -> list[tuple[str, float | None, float | None, float | None, int]]:
        return [(row.label, row.loss_rate.value, row.loss_rate.low, row.loss_rate.high, row.n) for row in rows]

    sections = [
        ("by_month", trend_chart(months, title="Acceptance rate by month")),
        ("reasons", bar_chart([(row.label, row.n) for row in figures.reasons], title="Decline and renege reasons")),
        ("competitors_won", bar_chart([(row.company, row.n) for row in figures.competitors_won[:12]],
                                      title="Competitors that won")),
        ("counteroffers", interval_chart(bands((figures.with_counteroffer, figures.without_counteroffer)),
                                         title="Loss rate with and without a counteroffer")),
        ("cadence_adherence", interval_chart(bands(figures.cadence_adherence),
                                             title="Loss rate by days within cadence")),
        ("competition_asked", interval_chart(bands(figures.competition_asked),
                                             title="Loss rate by asking about the competition")),
    ]
    return {
        "figures": figures, "summary": summary, "headline": shown(by_key["figures"]), "offers": shown(by_key["offers"]),
        "sections": [{"table": shown(by_key[key]), "chart": chart} for key, chart in sections],
        "shows_names": shows_names,
    }


def cell_text(value: Any, kind: str) -> str:
    """How the page writes a cell of a table (the CSV keeps the number as it is)."""
    if value is None:
        return "–"
    if kind == "rate":
        return f"{value * 100:.1f} %"
    if kind == "days":
        return f"{value:.1f}"
    if kind == "count":
        return f"{value:,}"
    return str(value)


def shown(table: Table) -> dict[str, Any]:
    """A table with each cell as written and as its number (data-value), for the template."""
    return {
        "key": table.key, "title": table.title, "columns": table.columns,
        "rows": [[{"text": cell_text(value, column.kind), "value": "" if value is None else value,
                   "numeric": column.kind != "text"} for value, column in zip(row, table.columns, strict=True)]
                 for row in table.rows],
    }


def insights_csv(request: AuthenticatedHttpRequest, table: str) -> HttpResponse:
    """One table of the page as CSV: formula-safe, competitors told in confidence counted without names."""
    require_reader(request.user)
    if table not in TABLE_KEYS:
        raise Http404(f"No insights table '{table}'.")
    form, filters = _filters(request)
    if filters is None:
        said = "; ".join(f"{field}: {' '.join(str(e) for e in errors)}" for field, errors in form.errors.items())
        return HttpResponse(said, status=422, content_type="text/plain; charset=utf-8")
    exported = table_named(insights_for(request.user, filters, now=page_now(), export=True), table)
    assert exported is not None, "TABLE_KEYS names every table"
    return _csv_response(exported, filters)


def _csv_response(table: Table, filters: Filters) -> HttpResponse:
    response = HttpResponse(table.as_csv(), content_type="text/csv; charset=utf-8")
    name = f"insights-{table.key}-{filters.date_from.isoformat()}-{filters.date_to.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ReportPeriodForm(forms.Form):
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))


def client_report(request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
    """The report for one client over a period, print-ready; `?format=md` for Markdown. It carries nothing
    told in confidence (homestretch.insights.client_report), so every reader may open it."""
    client = get_client_for_user(request.user, client_id)
    form = ReportPeriodForm(request.GET or None)
    today = timezone.localtime(page_now()).date()
    date_from, date_to = default_period(today)
    if form.is_bound and form.is_valid():
        date_to = form.cleaned_data.get("date_to") or date_to
        date_from = form.cleaned_data.get("date_from") or default_period(date_to)[0]
        if date_from > date_to:
            form.add_error("date_from", "The period starts after it ends: give a 'From' day on or before 'To'.")
    if form.errors:
        return render(request, "insights/client_report.html", {"client": client, "form": form, "report": None})
    report = build_client_report(client, date_from, date_to, now=page_now())
    record_request(Kind.VIEWED_CLIENT_REPORT, request, client, detail={
        "from": date_from.isoformat(), "to": date_to.isoformat(),
        "format": "md" if request.GET.get("format") == "md" else "page"})
    if request.GET.get("format") == "md":
        response = HttpResponse(render_markdown(report), content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="client-{client.pk}-report.md"'
        return response
    return render(request, "insights/client_report.html", {
        "client": client, "form": form, "report": report, "filter_query": request.GET.urlencode()})
