"""A report for a client: what we did for them in a period, to be shared with them.

It is built from what a client may see, the client brief's rules (homestretch.situation.redact), never
filtered at the end:
- the client's searches in the period (jobs open at any time in it) and, for each, the candidates
  presented (who reached the client's interviews), how far each got and where each stands;
- the offers made in the period (by the first extension: the insights' own figures, filtered to the
  client), accepted and declined, with the coded reason of each loss (never the recruiter's notes);
- time from the brief (the job opened) to its first offer;
- what the market said: the base pay of competing offers our candidates for this client told us of, as
  bands (`situation.redact.pay_band`, clear of every figure told in confidence), by currency and
  period. No company is named in that section, and the competitors that won are named only when no
  candidate told us of them in confidence (the brief's `named_in_confidence`), otherwise counted.

No risk, no notes, no lessons, no amounts as recorded.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q

from homestretch.offers.models import CompetingOffer
from homestretch.pipeline import stages
from homestretch.pipeline.choices import Stage
from homestretch.pipeline.models import Application, Client, Job, StageChange
from homestretch.situation.pay import money
from homestretch.situation.redact import pay_band

from .figures import Filters, figures_of, load_offered, period_bounds

# Presented to the client: reached their interviews (or any stage after).
PRESENTED = frozenset({Stage.INTERVIEWING, Stage.FINAL_INTERVIEW, Stage.VERIFICATION, Stage.OFFER, Stage.ACCEPTED,
                       Stage.STARTED})


@dataclass(frozen=True, slots=True)
class PresentedCandidate:
    name: str
    furthest: str  # the label of the furthest stage of the process reached
    now: str  # where the application stands (label)


@dataclass(frozen=True, slots=True)
class Search:
    title: str
    opened_on: date | None
    status: str
    presented: tuple[PresentedCandidate, ...]
    days_to_first_offer: int | None


@dataclass(frozen=True, slots=True)
class MarketBand:
    currency: str
    period: str
    low: Decimal
    high: Decimal

    @property
    def text(self) -> str:
        return f"{money(self.low, self.currency, self.period)} – {money(self.high, self.currency, self.period)}"


@dataclass(frozen=True)
class ClientReport:
    client: str
    date_from: date
    date_to: date
    searches: tuple[Search, ...]
    offers_made: int
    accepted: int
    declined: int
    decline_reasons: tuple[tuple[str, int], ...]  # coded reason label -> count (declined and reneged)
    competitors_won: tuple[tuple[str, int], ...]  # open names only; told in confidence counted as one row
    median_days_brief_to_offer: float | None
    market: tuple[MarketBand, ...]
    market_unbanded: int  # competing offers whose pay could not be shown as a band

    @property
    def presented_total(self) -> int:
        return sum(len(search.presented) for search in self.searches)


def build_client_report(client: Client, date_from: date, date_to: date, *, now: datetime) -> ClientReport:
    """The report for `client` over the period (local days, both included), in a fixed number of queries."""
    start, end = period_bounds(Filters(date_from, date_to))
    # The searches of the period: jobs with an application in the process at some time in it, or opened in it.
    applications = list(Application.objects.filter(job__client=client, created_at__lt=end)
                        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
                        .values_list("pk", "job_id", "candidate__name", "stage", "stage_before_hold", "candidate_id")
                        .order_by("candidate__name", "pk"))
    jobs = list(Job.objects.filter(client=client).filter(
        Q(pk__in={row[1] for row in applications}) | Q(opened_on__gte=date_from, opened_on__lte=date_to))
        .order_by("title", "pk"))
    reached: dict[int, set[str]] = defaultdict(set)
    for application_id, to_stage in StageChange.objects.filter(
            application_id__in=[row[0] for row in applications]).values_list("application_id", "to_stage"):
        reached[application_id].add(to_stage)
    offered = load_offered(Filters(date_from, date_to, client_id=client.pk), now)
    figures = figures_of(offered, Filters(date_from, date_to, client_id=client.pk),
                         today=now.date()).shareable()
    first_offer: dict[int, datetime] = {}
    job_of = {row[0]: row[1] for row in applications}
    for application in offered:
        job_id = job_of.get(application.application_id)
        if job_id is not None and (job_id not in first_offer or application.first_extended_at < first_offer[job_id]):
            first_offer[job_id] = application.first_extended_at
    searches = []
    for job in jobs:
        presented = []
        for pk, job_id, name, stage, before, _ in applications:
            seen = reached[pk] | {stage, before}
            if job_id != job.pk or not seen & PRESENTED:
                continue
            furthest = max((s for s in seen if s in stages.SEQUENCE), key=stages.SEQUENCE.__getitem__,
                           default=stage)
            if Stage.STARTED in seen:
                furthest = Stage.STARTED
            presented.append(PresentedCandidate(name, Stage(furthest).label, Stage(stage).label))
        opened = job.opened_on or job.created_at.date()
        offered_at = first_offer.get(job.pk)
        searches.append(Search(job.title, job.opened_on, job.get_status_display(), tuple(presented),
                               (offered_at.date() - opened).days if offered_at is not None else None))
    lead_times = [s.days_to_first_offer for s in searches if s.days_to_first_offer is not None]
    summary = figures.summary
    market, unbanded = _market([row[5] for row in applications], start, end)
    return ClientReport(
        client=client.name, date_from=date_from, date_to=date_to, searches=tuple(searches),
        offers_made=summary.offers_extended, accepted=summary.acceptance_rate.k,
        declined=summary.acceptance_rate.n - summary.acceptance_rate.k,
        decline_reasons=tuple((row.label, row.n) for row in figures.reasons),
        competitors_won=tuple((row.company, row.n) for row in figures.competitors_won),
        median_days_brief_to_offer=statistics.median(lead_times) if lead_times else None,
        market=market, market_unbanded=unbanded,
    )


def _market(candidate_ids: list[int], start: datetime, end: datetime) -> tuple[tuple[MarketBand, ...], int]:
    """Competing base pay learned in the period from these candidates, each as a band clear of every figure
    the same candidate told us in confidence; sorted by currency, period and band."""
    rows = list(CompetingOffer.objects.filter(candidate_id__in=set(candidate_ids), learned_at__gte=start,
                                              learned_at__lt=end)
                .values_list("candidate_id", "base", "bonus", "equity", "currency", "period", "confidential"))
    secrets: dict[int, list[Decimal]] = defaultdict(list)
    for candidate_id, base, bonus, equity, _, _, confidential in rows:
        if confidential:
            secrets[candidate_id].extend(value for value in (base, bonus, equity) if value)
    bands = []
    unbanded = 0
    for candidate_id, base, _, _, currency, period, _ in rows:
        if base is None or not currency:
            continue
        band = pay_band(base, period, secrets.get(candidate_id, ()))
        if band is None:
            unbanded += 1
            continue
        bands.append(MarketBand(currency, period, band[0], band[1]))
    return tuple(sorted(bands, key=lambda b: (b.currency, b.period, b.low, b.high))), unbanded


def render_markdown(report: ClientReport) -> str:
    """The report as Markdown, for an e-mail or a document."""
    lines = [f"# {report.client}: our work from {report.date_from.isoformat()} to {report.date_to.isoformat()}", ""]
    lines += ["## Searches", ""]
    if not report.searches:
        lines += ["No search was open in this period.", ""]
    for search in report.searches:
        opened = f", opened {search.opened_on.isoformat()}" if search.opened_on else ""
        lead = (f"; first offer {search.days_to_first_offer} days after the brief"
                if search.days_to_first_offer is not None else "")
        lines += [f"### {search.title} ({search.status}{opened}{lead})", ""]
        if not search.presented:
            lines.append("No candidate presented yet.")
        for candidate in search.presented:
            lines.append(f"- {candidate.name}: reached {candidate.furthest}; now {candidate.now}")
        lines.append("")
    lines += ["## Offers", "", f"- Offers made: {report.offers_made}", f"- Accepted: {report.accepted}",
              f"- Declined: {report.declined}"]
    if report.median_days_brief_to_offer is not None:
        lines.append(f"- Median time from brief to first offer: {report.median_days_brief_to_offer:g} days")
    if report.decline_reasons:
        lines += ["", "Why candidates said no:", ""]
        lines += [f"- {label}: {n}" for label, n in report.decline_reasons]
    if report.competitors_won:
        lines += ["", "Who won them:", ""]
        lines += [f"- {company}: {n}" for company, n in report.competitors_won]
    lines += ["", "## What the market said", ""]
    if not report.market:
        lines.append("No competing pay was told to us in this period.")
    else:
        lines.append("Base pay of competing offers our candidates told us of, as bands:")
        lines.append("")
        lines += [f"- {band.text}" for band in report.market]
    return "\n".join(lines) + "\n"
