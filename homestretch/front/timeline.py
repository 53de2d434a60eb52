"""One application's full history in a fixed number of queries: the stage changes, the
touchpoints (those logged on the application and those logged on the candidate alone), our offers
with their audit trail, the candidate's competing offers and dated priorities.

The application page, the brief and the risk loader read it; it never issues a query per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q

from homestretch.offers.models import CompetingOffer, Offer, OfferEvent, Priorities, priorities_for_team
from homestretch.pipeline.models import Application, StageChange, Touchpoint


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    kind: str  # "stage_change", "touchpoint", "offer_event", "competing_offer", "priorities"
    record: object


@dataclass(slots=True)
class ApplicationHistory:
    application: Application
    stage_changes: list[StageChange] = field(default_factory=list)
    touchpoints: list[Touchpoint] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)  # newest revision first, events prefetched
    competing_offers: list[CompetingOffer] = field(default_factory=list)
    priorities: list[Priorities] = field(default_factory=list)  # newest first

    @property
    def current_offer(self) -> Offer | None:
        return self.offers[0] if self.offers else None

    @property
    def current_priorities(self) -> Priorities | None:
        """The priorities this application reads: its team's own newest, else the newest of any team
        (offers.models.priorities_for_team, as the risk and the brief choose)."""
        return priorities_for_team(((p.recorded_by_team_id, p) for p in self.priorities),
                                   self.application.recruiter.team_id)

    def timeline(self) -> list[TimelineEntry]:
        """Everything that happened, newest first."""
        entries = [TimelineEntry(c.at, "stage_change", c) for c in self.stage_changes]
        entries += [TimelineEntry(t.at, "touchpoint", t) for t in self.touchpoints]
        entries += [TimelineEntry(e.at, "offer_event", e) for o in self.offers for e in o.events.all()]
        entries += [TimelineEntry(c.learned_at, "competing_offer", c) for c in self.competing_offers]
        entries += [TimelineEntry(p.as_of, "priorities", p) for p in self.priorities]
        entries.sort(key=lambda entry: entry.at, reverse=True)
        return entries


def load_application_history(application_id: int) -> ApplicationHistory:
    """Seven queries whatever the length of the history. Raises Application.DoesNotExist."""
    application = Application.objects.select_related(
        "candidate", "job__client", "job__hiring_manager", "recruiter__team"
    ).get(pk=application_id)
    candidate_id = application.candidate_id
    return ApplicationHistory(
        application=application,
        stage_changes=list(application.stage_changes.select_related("by").order_by("at", "id")),
        touchpoints=list(
            Touchpoint.objects.filter(Q(application_id=application_id)
                                      | Q(candidate_id=candidate_id, application__isnull=True))
            .select_related("recruiter").order_by("-at", "-id")
        ),
        offers=list(
            Offer.objects.filter(application_id=application_id)
            .prefetch_related(Prefetch("events", queryset=OfferEvent.objects.select_related("by")))
            .order_by("-revision")
        ),
        competing_offers=list(CompetingOffer.objects.filter(candidate_id=candidate_id)
                              .select_related("recorded_by", "recorded_by_team").order_by("-learned_at")),
        priorities=list(Priorities.objects.filter(candidate_id=candidate_id)
                        .select_related("recorded_by", "recorded_by_team").order_by("-as_of", "-id")),
    )
