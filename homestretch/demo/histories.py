"""Rows from planned applications: stage changes with reasons, touchpoints with notes, competing
offers learned in a touchpoint, our offers with their audit trail, and dated priorities.

``HistoryWriter.write(app)`` appends one application's rows to the loader's tables. Ids are assigned
here, in order, so that a competing offer can point at the touchpoint it was learned in. The
touchpoint loop runs a million times for the large data set: it keeps lookups local and formats
date-times by table lookup (see ``clock``), and it is the place to look first when timing changes.
"""

from __future__ import annotations

from bisect import bisect_right
from random import Random

from homestretch.offers.choices import CompetingKind, CompetingStage, OfferStatus, RemotePreference
from homestretch.pipeline.choices import Channel, CompetitionAnswer, Direction, LossReason, Stage

from . import catalogue as cat
from . import notes
from .clock import MINUTES_PER_DAY, WORK_MINUTES_PER_DAY, Clock
from .stories import (
    CANDIDATE_LOSSES,
    CLOSED,
    AppPlan,
    CompetingSpec,
    minimum_touches,
    offer_response_index,
    segments,
)

S = Stage
WD = WORK_MINUTES_PER_DAY



APPLICATION_FIELDS = (
    "id", "candidate_id", "job_id", "recruiter_id", "stage", "stage_entered_at", "stage_before_hold",
    "accepted_at",
    "closed_at", "created_at", "updated_at", "lessons",
)
STAGE_CHANGE_FIELDS = (
    "id", "application_id", "from_stage", "to_stage", "at", "by_id", "reason", "loss_reason",
)
TOUCHPOINT_FIELDS = (
    "id", "candidate_id", "application_id", "recruiter_id", "at", "channel", "direction", "notes", "interest",
    "competition_asked", "competition_answer", "status_update_given", "created_at",
)
COMPETING_FIELDS = (
    "id", "candidate_id", "kind", "company", "role", "stage", "base", "bonus", "equity", "currency", "period",
    "remote_policy", "remote_days", "deadline", "learned_at", "learned_in_id", "confidential", "notes",
    "recorded_by_id", "recorded_by_team_id", "created_at", "updated_at",
)
# One change per competing offer, from when it was learned: the demo's offers say from the start what
# they say now (a story does not change one later).
COMPETING_CHANGE_FIELDS = (
    "id", "competing_id", "at", "by_id", "kind", "company", "stage", "base", "bonus", "equity", "currency",
    "period", "remote_policy", "remote_days", "deadline", "confidential",
)
OFFER_FIELDS = (
    "id", "application_id", "revision", "status", "base", "bonus", "equity", "currency", "period",
    "remote_policy",
    "remote_days", "start_date", "sent_at", "expires_on", "responded_at", "decline_reason", "won_by", "notes",
    "created_by_id", "created_at", "updated_at",
)
OFFER_EVENT_FIELDS = ("id", "offer_id", "at", "by_id", "from_status", "to_status", "note")
PRIORITIES_FIELDS = (
    "id", "candidate_id", "as_of", "base_min", "base_target", "currency", "period", "remote_preference",
    "remote_days", "notice_days", "earliest_start", "must_haves", "importance_pay", "importance_remote",
    "importance_speed", "importance_title", "importance_growth", "importance_stack", "recorded_by_id",
    "recorded_by_team_id",
)

CHANNELS = tuple(c.value for c in (Channel.CALL, Channel.EMAIL, Channel.MESSAGE, Channel.MEETING,
                                   Channel.VIDEO))
TALKING = (True, False, False, True, True)
# Channel weights by part of the process (notes.OUTREACH ... notes.NETWORK), as cumulative sums.
_CHANNEL_WEIGHTS = (
    (15, 30, 50, 0, 5), (45, 20, 10, 5, 20), (45, 20, 15, 5, 15), (40, 35, 15, 0, 10), (55, 15, 10, 10, 10),
    (40, 15, 25, 10, 10), (35, 35, 25, 0, 5), (40, 20, 30, 10, 0), (30, 20, 25, 25, 0),
)
CHANNEL_CUMULATIVE = tuple(tuple(sum(w[: i + 1]) / sum(w) for i in range(5)) for w in _CHANNEL_WEIGHTS)
ASK_CHANCE = (0.05, 0.35, 0.30, 0.45, 0.55, 0.30, 0.20, 0.0, 0.0)
STATUS_GROUPS = frozenset({notes.SCREENING, notes.INTERVIEWS, notes.CHECKS, notes.OFFER, notes.HOLD})
COMPETING_STAGE_LABELS = notes.COMPETING_STAGE_WORDS
REMOTE_PREFERENCES = tuple(RemotePreference.values)
PROMOTION = {"junior": "mid", "mid": "senior", "senior": "lead", "lead": "principal"}
REJECTION_WORDS: dict[str, tuple[str, ...]] = {
    S.SOURCED: notes.REJECTIONS_EARLY, S.SCREENING: notes.REJECTIONS_EARLY,
    S.INTERVIEWING: notes.REJECTIONS_INTERVIEWS, S.FINAL_INTERVIEW: notes.REJECTIONS_INTERVIEWS,
    S.VERIFICATION: notes.REJECTIONS_CHECKS, S.OFFER: notes.REJECTIONS_OFFER,
    S.ACCEPTED: notes.REJECTIONS_OFFER,
    S.ON_HOLD: (notes.REJECTION_AFTER_HOLD,),
}


class Ids:
    """The next primary key of each table: we assign them, so rows can point at each other."""

    def __init__(self) -> None:
        self.stage_change = self.touchpoint = self.competing = self.offer = self.event = self.priorities = 0


class HistoryWriter:
    """Turns planned applications into rows, appended to the loader's tables."""

    def __init__(self, rng: Random, clock: Clock, tables, team_members: dict[int, list[int]]) -> None:
        self.rng = rng
        self.clock = clock
        self.tables = tables  # bulk.Table by label: .applications, .stage_changes, ...
        self.ids = Ids()
        self.team_members = team_members
        self.add_touchpoint = tables.touchpoints.buffer.append  # the hot path skips Table.add

    # -- one application ---------------------------------------------------------------------------

    def write(self, app: AppPlan) -> None:
        rng, clock = self.rng, self.clock
        job, candidate = app.job, app.assigned_candidate
        assert candidate is not None
        calendar = job.calendar
        wall = calendar.wall
        ts = clock.ts
        recruiter_id = app.recruiter.id
        ctx = {
            "first": candidate.first, "client": job.client.name, "title": job.title,
            "manager": job.manager.name if job.manager else "the hiring manager",
            "employer": candidate.employer or "a current client", "skill": rng.choice(job.skills),
            "city": job.city.name, "years": candidate.years, "motive": rng.choice(cat.MOTIVES),
            "company": rng.choice(cat.COMPETITORS), "round": "", "weekday": "", "weeks": 2,
        }
        winner = next((spec for spec in app.competing if spec.winner), None)
        if winner is not None and winner.kind == CompetingKind.COUNTEROFFER:
            ctx["company"] = candidate.employer

        # Stage changes and the application itself.
        closing_words = ""
        changes = app.changes
        accepted_at = None
        for change in changes:
            self.ids.stage_change += 1
            from_stage, to_stage, at, key, loss_reason = change
            reason = self._reason(key, from_stage, to_stage, loss_reason, ctx) if key else ""
            if to_stage in CLOSED:
                closing_words = reason
            if to_stage == S.ACCEPTED:
                accepted_at = at
            self.tables.stage_changes.add((
                self.ids.stage_change, app.id, from_stage, to_stage, ts(wall(at)), self._by(app), reason,
                loss_reason,
            ))
        final = changes[-1]
        entered = ts(wall(final[2]))
        self.tables.applications.add((
            app.id, candidate.id, job.id, recruiter_id, final[1], entered,
            final[0] if final[1] == S.ON_HOLD else "",
            ts(wall(accepted_at)) if accepted_at is not None else None,
            entered if final[1] in CLOSED else None,
            ts(wall(changes[0][2])), entered,
            rng.choice(notes.APPLICATION_LESSONS).format_map(ctx) if app.lessons else "",
        ))

        # Money: what the candidate asks, what we offer, what the others pay.
        ask = self._ask(app)
        offers = self._offer_terms(app, ask)
        reference = offers[-1][0] if offers else ask

        # Touchpoints, with the competing processes learned in them.
        times, walls = self._touch_times(app)
        learned = self._learned_at(app, walls)
        competing = [self._competing_terms(app, spec, reference, walls[index], ctx)
                     for spec, index in zip(app.competing, learned, strict=True)]
        first_touch_id = self.ids.touchpoint + 1
        self._touchpoints(app, times, walls, learned, competing, ctx, closing_words)
        for spec, index, terms in zip(app.competing, learned, competing, strict=True):
            self._competing_row(app, spec, terms, walls[index], first_touch_id + index)
        if app.pre_w is not None:
            self._network_touch(app, ctx)

        self._offers(app, offers, ctx, winner)
        self._priorities(app, ask, walls, bool(app.competing))
        self.tables.touchpoints.flush_when_full()

    # -- words -------------------------------------------------------------------------------------

    def _reason(self, key: str, from_stage: str, to_stage: str, loss_reason: str, ctx: dict) -> str:
        rng = self.rng
        if key == "loss":
            return rng.choice(notes.LOSS_REASONS[(to_stage, loss_reason)]).format_map(ctx)
        if key == "rejected":
            return rng.choice(REJECTION_WORDS[from_stage]).format_map(ctx)
        if key == "filled":
            return notes.REJECTION_FILLED.format_map(ctx)
        if key == "cancelled":
            return notes.REJECTION_CANCELLED.format_map(ctx)
        if key == "rejected_after_hold":
            return notes.REJECTION_AFTER_HOLD.format_map(ctx)
        if key == "hold":
            return rng.choice(notes.HOLD_REASONS).format_map(ctx)
        if key == "resume":
            return rng.choice(notes.RESUME_REASONS)
        if key == "extra_round":
            return rng.choice(notes.EXTRA_ROUND_REASONS).format_map(ctx)
        if key == "started":
            # Picked by the stage change's id, not by the random stream: what every other row
            # draws stays as it was before starts had reasons.
            return notes.START_REASONS[self.ids.stage_change % len(notes.START_REASONS)].format_map(ctx)
        raise ValueError(f"unknown reason key {key!r}")

    def _by(self, app: AppPlan) -> int:
        """Who did it: the owner, now and then a teammate covering."""
        if self.rng.random() < 0.05:
            members = self.team_members.get(app.recruiter.team_id or 0)
            if members:
                return members[int(self.rng.random() * len(members))]
        return app.recruiter.id

    # -- touchpoints -------------------------------------------------------------------------------

    def _touch_times(self, app: AppPlan) -> tuple[list[int], list[int]]:
        """Touchpoint moments in working minutes and in UTC minutes, in order: the first contact,
        the others drawn by how busy each stage is, the last contact, and a check-in after the start."""
        random = self.rng.random
        start = app.changes[0][2]
        last = max(app.last_w, start)
        middle = app.touches - minimum_touches(app)
        times = [start]
        if middle > 0:
            starts, densities, cumulative = segments(app.changes, last)
            if cumulative:
                total = cumulative[-1]
                top = len(cumulative) - 1
                drawn = []
                for _ in range(middle):
                    x = random() * total
                    k = bisect_right(cumulative, x)
                    if k > top:
                        k = top
                    w = starts[k] + int((x - (cumulative[k - 1] if k else 0.0)) / densities[k])
                    drawn.append(w if w < last else last)
                drawn.sort()
                times.extend(drawn)
            else:
                times.extend([start] * middle)
        times.append(last)
        if app.post_w is not None:
            times.append(app.post_w)
        # Working minute -> UTC minute (WorkCalendar.wall, inlined: this runs a million times).
        offset = 510 - app.job.calendar.offset
        walls = []
        for w in times:
            week, rest = divmod(w, 3000)
            day, minute = divmod(rest, 600)
            walls.append(week * 10080 + day * 1440 + offset + minute)
        return times, walls

    def _learned_at(self, app: AppPlan, walls: list[int]) -> list[int]:
        """For each competing process, the index of the touchpoint in which we learned of it."""
        if not app.competing:
            return []
        rng = self.rng
        last = len(walls) - 1 - (app.post_w is not None)
        first_talk = 1 if last >= 1 else 0
        indexes = []
        for spec in app.competing:
            if spec.learned_days_ago is not None:
                moment = self.clock.minutes_ago(spec.learned_days_ago)
                index = max(0, bisect_right(walls, moment, 0, last + 1) - 1)
            elif spec.winner:
                low = max(first_talk, last // 2)
                index = low + int(rng.random() * (last - low + 1))
            else:
                index = first_talk + int(rng.random() * (last - first_talk + 1))
            indexes.append(index)
        return indexes

    def _touchpoints(self, app: AppPlan, times: list[int], walls: list[int], learned: list[int],
                     competing: list[dict], ctx: dict, closing_words: str) -> None:
        random = self.rng.random
        clock = self.clock
        day_text, minute_text = clock.day_text, clock.minute_text
        latest = clock.latest
        add = self.add_touchpoint
        candidate_id, application_id, recruiter_id = app.assigned_candidate.id, app.id, app.recruiter.id
        changes = app.changes
        n_changes = len(changes)
        groups = [notes.GROUP_OF_STAGE.get(change[1], notes.INTERVIEWS) for change in changes]
        n = len(times)
        closing = n - 1 - (app.post_w is not None) if app.closed and closing_words else -1
        templates_by_group = notes.TOUCH_NOTES
        interest_notes = notes.INTEREST_NOTES
        weekdays = notes.WEEKDAYS
        rounds_by_change = [
            notes.FINAL_ROUNDS if c[1] == S.FINAL_INTERVIEW else notes.ROUNDS for c in changes
        ]
        i0, i1 = app.interest
        slope = (i1 - i0) / (n - 1) if n > 1 else 0.0
        may_ask = not app.never_asked
        learned_by_index: dict[int, list[int]] = {}
        for k, index in enumerate(learned):
            learned_by_index.setdefault(index, []).append(k)
        known: list[int] = []  # competing processes known so far
        last_pick: dict[int, int] = {}  # no template twice in a row for one application,
        uses: dict[int, int] = {}  # nor more than twice (once for what the candidate sends)
        outbound_text, inbound_text = Direction.OUTBOUND.value, Direction.INBOUND.value
        disclosed = CompetitionAnswer.DISCLOSED.value
        final = changes[-1]
        names = (ctx["first"], ctx["client"], ctx["employer"], ctx["company"], ctx["manager"])
        starts_with_a_name = any(closing_words.startswith(name) for name in names)
        closing_text = closing_words if starts_with_a_name else closing_words[:1].lower() + closing_words[1:]
        if final[1] not in CANDIDATE_LOSSES:
            closing_lead = f"Told {ctx['first']}: "
        elif final[4] == LossReason.OTHER:
            closing_lead = "Closed: "
        else:
            closing_lead = f"{ctx['first']} told me: "
        next_id = self.ids.touchpoint
        ci = 0
        for j in range(n):
            w = times[j]
            while ci + 1 < n_changes and changes[ci + 1][2] <= w:
                ci += 1
            group = groups[ci]
            # Channel and direction: the first contact of a sourced candidate is our message.
            if j == 0 and changes[0][1] == S.SOURCED:
                c = 2 if random() < 0.7 else 1
                outbound = True
            else:
                x = random()
                cumulative = CHANNEL_CUMULATIVE[group]
                c = 0
                while x > cumulative[c]:
                    c += 1
                outbound = random() < (0.75 if TALKING[c] else 0.6)
            talk = TALKING[c]
            kind = notes.TALK if talk else (notes.WROTE if outbound else notes.RECEIVED)
            # Interest, read in conversations and in what the candidate writes.
            interest = None
            if (talk and random() < 0.85) or (kind == notes.RECEIVED and random() < 0.4):
                value = int(i0 + slope * j + (random() - 0.5) * 1.2 + 0.5)
                interest = 1 if value < 1 else 5 if value > 5 else value
            # Competition: asked now and then, answered with what is known so far.
            news = learned_by_index.get(j)
            if news:
                asked, answer = True, disclosed
            elif may_ask and j != closing and random() < ASK_CHANCE[group] and (talk or random() < 0.3):
                asked = True
                if known and random() < 0.85:
                    answer = disclosed
                else:
                    answer = CompetitionAnswer.NONE.value if random() < 0.75 else \
                        CompetitionAnswer.DECLINED_TO_SAY.value
            else:
                asked, answer = False, ""
            update = outbound and group in STATUS_GROUPS and random() < 0.5
            # Notes, as the recruiter would write them.
            if j == closing:
                text = closing_lead + closing_text
            else:
                rounds = rounds_by_change[ci]
                ctx["round"] = rounds[int(random() * len(rounds))]
                ctx["weekday"] = weekdays[int(random() * 5)]
                ctx["weeks"] = 2 + int(random() * 3)
                options = templates_by_group[group][kind]
                count = len(options)
                slot = group * 3 + kind
                cap = 1 if kind == notes.RECEIVED else 2
                pick = int(random() * count)
                for _ in range(count):
                    if uses.get(slot * 16 + pick, 0) < cap and (pick != last_pick.get(slot) or count == 1):
                        break
                    pick = (pick + 1) % count
                else:
                    pick = -1
                if pick < 0:
                    generic = notes.GENERIC_NOTES[kind]
                    text = generic[int(random() * len(generic))].format_map(ctx)
                else:
                    uses[slot * 16 + pick] = uses.get(slot * 16 + pick, 0) + 1
                    last_pick[slot] = pick
                    text = options[pick].format_map(ctx)
                if interest is not None and talk and random() < 0.5:
                    phrases = interest_notes[interest]
                    text += " " + phrases[int(random() * len(phrases))]
            if asked:
                if news:
                    known.extend(news)
                    text += " " + self._disclosure(competing[news[-1]], ctx)
                elif answer == disclosed:
                    text += " " + self._disclosure(competing[known[-1]], ctx)
                elif answer == CompetitionAnswer.NONE:
                    text += " " + notes.COMPETITION_NONE[int(random() * 2)].format_map(ctx)
                else:
                    text += " " + notes.COMPETITION_DECLINED[int(random() * 2)].format_map(ctx)
                if random() < 0.1:
                    text += notes.WHY_WE_ASK
            if update and j != closing and random() < 0.6:
                text += " " + notes.STATUS_UPDATES[int(random() * 3)].format_map(ctx)
            at = walls[j]
            logged = at + 2 + int(random() * 30)
            if logged > latest:
                logged = latest
            next_id += 1
            add((
                next_id, candidate_id, application_id, recruiter_id,
                day_text[at // 1440] + minute_text[at % 1440], CHANNELS[c],
                outbound_text if outbound else inbound_text, text, interest, asked, answer, update,
                day_text[logged // 1440] + minute_text[logged % 1440],
            ))
        self.ids.touchpoint = next_id

    def _disclosure(self, terms: dict, ctx: dict) -> str:
        """What the candidate told us of a competing process, in the recruiter's words."""
        confidential = terms["confidential"]
        if terms["kind"] == CompetingKind.COUNTEROFFER:
            options = notes.COUNTEROFFER_CONFIDENTIAL if confidential else notes.COUNTEROFFER_DISCLOSED
        else:
            options = notes.COMPETITION_CONFIDENTIAL if confidential else notes.COMPETITION_DISCLOSED
        text = self.rng.choice(options).format(
            company=terms["company"], employer=terms["company"], stage=COMPETING_STAGE_LABELS[terms["stage"]],
            pay=terms["pay"], first=ctx["first"],
        )
        if terms["deadline_text"]:
            text += f" Answer due {terms['deadline_text']}."
        return text

    def _network_touch(self, app: AppPlan, ctx: dict) -> None:
        """A contact with the candidate before this application, logged on the candidate alone."""
        rng = self.rng
        assert app.pre_w is not None
        at = app.job.calendar.wall(app.pre_w)
        c = rng.choice((0, 0, 3, 2, 1))
        talk = TALKING[c]
        outbound = rng.random() < 0.7
        kind = notes.TALK if talk else (notes.WROTE if outbound else notes.RECEIVED)
        text = rng.choice(notes.TOUCH_NOTES[notes.NETWORK][kind]).format_map(ctx)
        self.ids.touchpoint += 1
        self.tables.touchpoints.add((
            self.ids.touchpoint, app.assigned_candidate.id, None, app.recruiter.id, self.clock.ts(at), CHANNELS[c],
            Direction.OUTBOUND if outbound else Direction.INBOUND, text, None, False, "", False,
            self.clock.ts(at + 10),
        ))

    # -- competing offers --------------------------------------------------------------------------

    def _competing_terms(self, app: AppPlan, spec: CompetingSpec, reference: int, learned_t: int,
                         ctx: dict) -> dict:
        rng, clock = self.rng, self.clock
        job, candidate = app.job, app.assigned_candidate
        counter = spec.kind == CompetingKind.COUNTEROFFER
        company = candidate.employer
        if not counter:
            company = ctx["company"] if spec.winner else rng.choice(cat.COMPETITORS)
        if not spec.winner and not counter and company == ctx["company"]:
            company = cat.COMPETITORS[(cat.COMPETITORS.index(company) + 1) % len(cat.COMPETITORS)]
        currency, period = job.currency, job.period
        pay_known = spec.pay_vs_ours is not None or spec.winner or counter or (
            spec.stage in (CompetingStage.OFFER, CompetingStage.ACCEPTED) and rng.random() < 0.85
        ) or rng.random() < 0.25
        base = bonus = equity = None
        if pay_known:
            ratio = spec.pay_vs_ours
            if ratio is None:
                more = spec.winner or (spec.stage == CompetingStage.OFFER and rng.random() < 0.45)
                ratio = 1.04 + 0.14 * rng.random() if more else 0.88 + 0.18 * rng.random()
            if counter and candidate.current_base and spec.pay_vs_ours is None \
                    and candidate.current_currency == currency and candidate.current_period == period:
                ratio = max(ratio, candidate.current_base * (1.1 + 0.15 * rng.random()) / reference)
            base = cat.round_to(reference * ratio, job.step)
            if rng.random() < 0.4:
                bonus = cat.round_to(base * rng.choice((0.05, 0.1, 0.15)), job.step)
            if not counter and rng.random() < 0.15:
                equity = cat.round_to(base * (0.05 + 0.2 * rng.random()), job.step)
            remote_abroad = not counter and not spec.winner and spec.pay_vs_ours is None
            if remote_abroad and job.currency in ("EUR", "GBP") \
                    and not job.contract and rng.random() < 0.05:
                currency = "USD"  # a remote offer from a US company, paid in dollars
                base = cat.round_to(base * 1.15, 1_000)
                bonus = equity = None
        learned_day = learned_t // MINUTES_PER_DAY
        deadline = None
        if spec.deadline_in_days is not None:
            deadline = clock.today + spec.deadline_in_days
        elif spec.stage == CompetingStage.OFFER:
            deadline = learned_day + 2 + int(rng.random() * 9)
        confidential = spec.confidential if spec.confidential is not None else rng.random() < 0.3
        pay_text = f", {base:,} {currency} base" if base is not None else ""
        deadline_text = clock.as_date(deadline).strftime("%a %d %b") if deadline is not None else ""
        return {
            "kind": spec.kind, "company": company, "stage": spec.stage, "base": base, "bonus": bonus,
            "equity": equity, "currency": currency if base is not None else "", "period": period,
            "deadline": deadline, "confidential": confidential, "pay": pay_text,
            "deadline_text": deadline_text,
        }

    def _competing_row(self, app: AppPlan, spec: CompetingSpec, terms: dict, learned_t: int,
                       touch_id: int) -> None:
        rng, clock = self.rng, self.clock
        job = app.job
        counter = spec.kind == CompetingKind.COUNTEROFFER
        role = cat.job_title(job.family, job.seniority, None)
        if counter:
            # The current employer keeps them in the same job, or promotes them.
            promoted = PROMOTION.get(app.assigned_candidate.seniority) if rng.random() < 0.4 else None
            role = app.assigned_candidate.current_title
            if promoted:
                role = cat.job_title(app.assigned_candidate.family, promoted, None)
        policy = "" if rng.random() < 0.3 else rng.choice(("onsite", "hybrid", "hybrid", "remote"))
        remote_days = {"onsite": 0, "remote": 5, "hybrid": rng.choice((2, 3))}.get(policy)
        logged = min(learned_t + 3, clock.latest)
        self.ids.competing += 1
        deadline = clock.date(terms["deadline"]) if terms["deadline"] is not None else None
        self.tables.competing_offers.add((
            self.ids.competing, app.assigned_candidate.id, spec.kind, terms["company"], role, spec.stage,
            terms["base"],
            terms["bonus"], terms["equity"], terms["currency"], terms["period"], policy, remote_days,
            deadline, clock.ts(learned_t),
            touch_id,
            terms["confidential"], rng.choice(notes.COMPETING_NOTES).format(first=app.assigned_candidate.first),
            app.recruiter.id, app.recruiter.team_id, clock.ts(logged), clock.ts(logged),
        ))
        self.tables.competing_offer_changes.add((
            self.ids.competing, self.ids.competing, clock.ts(learned_t), app.recruiter.id, spec.kind,
            terms["company"], spec.stage, terms["base"], terms["bonus"], terms["equity"], terms["currency"],
            terms["period"], policy, remote_days, deadline, terms["confidential"],
        ))

    # -- our offers --------------------------------------------------------------------------------

    def _ask(self, app: AppPlan) -> int:
        rng = self.rng
        job, candidate = app.job, app.assigned_candidate
        low, high = job.band
        if candidate.current_base and candidate.current_currency == job.currency \
                and candidate.current_period == job.period:
            ask = candidate.current_base * (1.08 + 0.17 * rng.random())
        else:
            ask = low + (high - low) * (0.3 + 0.8 * rng.random())
        return cat.round_to(min(max(ask, low * 0.9), high * 1.15), job.step)

    def _offer_terms(self, app: AppPlan, ask: int) -> list[tuple[int, int | None, int | None]]:
        """(base, bonus, equity) of each revision."""
        if not app.offers:
            return []
        rng = self.rng
        job = app.job
        low, high = job.band
        base = cat.round_to(min(max(ask * (0.92 + 0.1 * rng.random()), low), high * 1.05), job.step)
        bonus = None
        if rng.random() < 0.5:
            bonus = cat.round_to(base * rng.choice((0.05, 0.08, 0.1, 0.15)), job.step)
        equity = None
        if job.client.size in ("startup", "small") and not job.contract and rng.random() < 0.6:
            equity = cat.round_to(base * (0.05 + 0.25 * rng.random()), job.step)
        terms = [(base, bonus, equity)]
        for _ in app.offers[1:]:
            base = cat.round_to(base * (1.03 + 0.05 * rng.random()), job.step)
            terms.append((base, bonus, equity))
        return terms

    def _offers(self, app: AppPlan, terms: list[tuple], ctx: dict, winner: CompetingSpec | None) -> None:
        if not app.offers:
            return
        rng, clock = self.rng, self.clock
        job = app.job
        calendar = job.calendar
        latest = calendar.work(clock.latest)
        changes = app.changes
        offered = [i for i, c in enumerate(changes) if c[1] == S.OFFER]
        if offered:
            t_offer = changes[offered[0]][2]
            respond = offer_response_index(changes, offered[0])
            t_end = changes[respond][2] if respond is not None else latest
            before = changes[offered[0] - 1][2]
        else:  # a draft while the client runs the last checks
            before = changes[-1][2]
            t_offer = min(before + int((0.5 + rng.random()) * WD), latest)
            t_end = latest
        reneged_at = next((c[2] for c in changes if c[1] == S.RENEGED), None)
        loss_reason = changes[-1][4]
        revisions = len(app.offers)
        # Revisions are created at evenly spread moments while the offer is out.
        created = [t_offer]
        for r in range(1, revisions):
            created.append(t_offer + (t_end - t_offer) * r // (revisions + 1) + 1)
        by = app.recruiter.id
        policy, remote_days = job.remote_policy, job.remote_days
        notes_text = rng.choice(notes.OFFER_NOTES).format_map(ctx)
        for r, statuses in enumerate(app.offers):
            base, bonus, equity = terms[r]
            events: list[tuple[int, str, str, str]] = []  # (minute, from, to, note)
            if r == 0:
                drafted = min(max(before + 1, t_offer - int((0.3 + 1.5 * rng.random()) * WD)), t_offer)
                approved = min(max(drafted, t_offer - 30 - int(rng.random() * 90)), t_offer)
                moments: dict[str, int] = {
                    OfferStatus.DRAFT: drafted, OfferStatus.APPROVED: approved, OfferStatus.EXTENDED: t_offer,
                }
                if not offered:
                    moments = {OfferStatus.DRAFT: t_offer, OfferStatus.APPROVED: min(t_offer + 60, latest)}
            else:
                moments = {OfferStatus.EXTENDED: created[r]}
            previous = ""
            for status in statuses:
                if status in moments:
                    at = moments[status]
                elif status == OfferStatus.SUPERSEDED:
                    at = created[r + 1]
                elif status == OfferStatus.EXPIRED:
                    at = created[r + 1] - 1
                elif status == OfferStatus.RENEGED:
                    assert reneged_at is not None, "an offer is reneged only on a path that reneges"
                    at = reneged_at
                else:  # accepted, declined, withdrawn: the stage change that answered the offer
                    at = t_end
                note = f"Superseded by revision {r + 2}" if status == OfferStatus.SUPERSEDED else ""
                events.append((at, previous, status, note))
                previous = status
            status = statuses[-1]
            sent = moments.get(OfferStatus.EXTENDED) if OfferStatus.EXTENDED in statuses else None
            answered = (OfferStatus.ACCEPTED, OfferStatus.DECLINED)
            responded = next((e[0] for e in events if e[2] in answered), None)
            lost = status in (OfferStatus.DECLINED, OfferStatus.RENEGED)
            won_by = ""
            if lost and winner is not None:
                won_by = ctx["company"]
            created_t = calendar.wall(events[0][0])
            sent_t = calendar.wall(sent) if sent is not None else None
            sent_day = (sent_t if sent_t is not None else created_t) // MINUTES_PER_DAY
            start_day = clock.first_of_next_month(sent_day + app.notice_days)
            self.ids.offer += 1
            offer_id = self.ids.offer
            self.tables.offers.add((
                offer_id, app.id, r + 1, status, base, bonus, equity, job.currency, job.period, policy,
                remote_days,
                clock.date(start_day), clock.ts(sent_t) if sent_t is not None else None,
                clock.date(sent_day + 7) if sent_t is not None else None,
                clock.ts(calendar.wall(responded)) if responded is not None else None,
                (loss_reason or LossReason.OTHER) if lost else "", won_by,
                notes_text if r == revisions - 1 else "",
                by, clock.ts(created_t), clock.ts(calendar.wall(events[-1][0])),
            ))
            for at, from_status, to_status, note in events:
                self.ids.event += 1
                self.tables.offer_events.add((
                    self.ids.event, offer_id, clock.ts(calendar.wall(at)), by, from_status, to_status, note,
                ))

    # -- priorities --------------------------------------------------------------------------------

    def _priorities(self, app: AppPlan, ask: int, walls: list[int], competing: bool) -> None:
        if not app.priorities:
            return
        rng, clock = self.rng, self.clock
        job = app.job
        # Dated at touchpoints after the first, in order: the screening talk, then later talks.
        count = app.priorities
        screened = next((c[2] for c in app.changes if c[1] != S.SOURCED), app.changes[0][2])
        screened_t = app.job.calendar.wall(screened)
        pool = [t for t in walls[1:] if t >= screened_t] or walls[-1:]
        picks = [pool[int(len(pool) * k / count * 0.8)] for k in range(count)]
        for k in range(1, count):
            picks[k] = max(picks[k], picks[k - 1] + 1)  # dated apart, so that the latest is clear
        target = ask
        preference = rng.choice(REMOTE_PREFERENCES)
        must = "; ".join(rng.sample(cat.MUST_HAVES, rng.randint(0, 2))).format(remote=rng.choice((2, 3, 4)))
        importances = [1 + int(rng.random() * 5) for _ in range(6)]
        importances[0] = max(importances[0], 3)
        for k, as_of in enumerate(picks):
            if k:
                # Later conversations move the target: up when offers compete, or the remote wish.
                target = cat.round_to(target * (1.03 + 0.07 * rng.random() if competing else 1.0), job.step)
                if rng.random() < 0.4:
                    preference = rng.choice(REMOTE_PREFERENCES)
                importances[int(rng.random() * 6)] = 1 + int(rng.random() * 5)
            base_min = cat.round_to(target * (0.88 + 0.08 * rng.random()), job.step)
            remote_days = {"onsite": 0, "remote": 5, "hybrid": rng.choice((2, 3))}.get(preference)
            day = as_of // MINUTES_PER_DAY
            self.ids.priorities += 1
            self.tables.priorities.add((
                self.ids.priorities, app.assigned_candidate.id, clock.ts(as_of), min(base_min, target), target,
                job.currency, job.period, preference, remote_days, app.notice_days,
                clock.date(day + app.notice_days), must, *importances, app.recruiter.id, app.recruiter.team_id,
            ))
