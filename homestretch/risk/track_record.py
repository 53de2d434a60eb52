"""What the organisation has learnt from its own decided applications, as of a moment: how often
candidates were lost per client, per role family and per candidate source.

These are the history features only a trained model may weigh (weights.HISTORY_FEATURES; the expert
weights give them 0). Each is a log-odds difference between a group's loss rate and the overall one:

    rate(group)  = (lost in group + PRIOR_OUTCOMES · overall) / (decided in group + PRIOR_OUTCOMES)
    feature      = logit(rate(group)) − logit(overall)

0 when the group has no decided application yet (or the candidate's source is unknown): "no different
from everyone". The shrinkage toward the overall rate keeps a client with three losses out of three
from claiming a 100 % loss rate: with PRIOR_OUTCOMES = 20 its own rate counts for 3/23.

**As of a moment** means: decided strictly before the start of the moment's local day. A closed
application is trained on at the start of the day it closed (homestretch.learning.train), so neither
its own outcome nor any later one (nor one of the same day) reaches its features; an open one is
scored today with the outcomes decided before today, the same figure all day long, which is what a
risk snapshot kept for the day needs.

Pure: plain data in (`PastDecision`), plain numbers out; `homestretch.risk.loader.load_track_record`
reads the decisions in one query.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, tzinfo
from itertools import accumulate

from homestretch.pipeline.choices import CandidateSource, Stage

# The outcomes the risk predicts: kept (started) or lost by the candidate's own decision. Rejected is
# the client's decision and counts nowhere (the one list; homestretch.learning.train reads it too).
KEPT_STAGES: tuple[str, ...] = (Stage.STARTED,)
LOST_STAGES: tuple[str, ...] = (Stage.DECLINED, Stage.RENEGED, Stage.WITHDRAWN)
DECIDED_STAGES: tuple[str, ...] = (*KEPT_STAGES, *LOST_STAGES)

# A group's own loss rate is shrunk toward the overall one as if it had this many more decided
# applications at the overall rate: at 20 of its own, half its own rate and half the overall one.
PRIOR_OUTCOMES = 20
# The overall rate is kept within these bounds so that its log-odds is finite.
RATE_FLOOR, RATE_CEILING = 0.01, 0.99

CLIENT, ROLE_FAMILY, SOURCE = "client_loss_rate", "role_family_loss_rate", "source_loss_rate"
TRACK_RECORD_FEATURES: tuple[str, ...] = (CLIENT, ROLE_FAMILY, SOURCE)

# Role families read from a job's title: the first pattern that matches wins. Managers first (an
# "Engineering Manager, Data" manages), then the role's own noun ("Data Engineer (Platform)" is data,
# "Backend Engineer (Platform APIs)" is backend), then a language or framework alone ("Senior Python
# Engineer" is backend).
ROLE_FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (family, re.compile(pattern)) for family, pattern in (
        ("management", r"\b(manager|head|director|cto|vp|chief|team lead)\b"),
        ("security", r"\b(secur\w*|appsec|infosec|cyber\w*|pentest\w*|penetration)\b"),
        ("data", r"\b(data|analytics?|analyst|machine learning|ml|ai|scientist|bi|mlops)\b"),
        ("quality", r"\b(qa|quality|tests?|testing|tester)\b"),
        ("mobile", r"\b(mobile|ios|android|flutter|react native)\b"),
        ("fullstack", r"\b(full ?stack)\b"),
        ("frontend", r"\b(front ?end|ui)\b"),
        ("backend", r"\b(back ?end)\b"),
        ("devops", r"\b(devops|sre|site reliability|platform|cloud|infrastructure|kubernetes|systems?)\b"),
        ("frontend", r"\b(react|angular|vue|javascript|typescript)\b"),
        ("backend", r"\b(java|python|golang|go|php|ruby|node|scala|kotlin|rust|api|apis|software)\b"),
        ("design", r"\b(design\w*|ux)\b"),
        ("product", r"\b(product|scrum|agile|project)\b"),
    )
)
OTHER_FAMILY = "other"


def role_family(title: str) -> str:
    """The role family of a job title: security, data, devops, mobile, quality, frontend, fullstack,
    backend, design, product, management, or other."""
    text = " ".join(re.sub(r"[-_/,()]+", " ", title.casefold()).split())
    for family, pattern in ROLE_FAMILIES:
        if pattern.search(text):
            return family
    return OTHER_FAMILY


@dataclass(frozen=True, slots=True)
class PastDecision:
    """One decided application: when, whether the candidate was lost, and its groups."""

    decided_at: datetime
    lost: bool
    client: str
    role_family: str
    source: str  # CandidateSource value, "" when unknown


@dataclass(frozen=True, slots=True)
class TrackRecordValues:
    """The history features of one application as of one moment, and the sentences that explain them."""

    values: dict[str, float]
    texts: dict[str, str]


_ZERO = TrackRecordValues(dict.fromkeys(TRACK_RECORD_FEATURES, 0.0), {})


class _Counts:
    """Decision times (sorted) and the running count of losses: how many before any moment, by bisection."""

    __slots__ = ("lost", "times")

    def __init__(self, decisions: list[PastDecision]) -> None:
        self.times = [decision.decided_at.timestamp() for decision in decisions]
        self.lost = list(accumulate(1 if decision.lost else 0 for decision in decisions))

    def before(self, cutoff: float) -> tuple[int, int]:
        """(decided, lost) strictly before `cutoff` (a timestamp)."""
        n = bisect_left(self.times, cutoff)
        return n, (self.lost[n - 1] if n else 0)


def _logit(rate: float) -> float:
    return math.log(rate / (1.0 - rate))


def _percent(rate: float) -> str:
    return f"{rate:.0%}"


class TrackRecord:
    """The decided applications, answering "as of a moment" for any group (see the module docstring)."""

    def __init__(self, decisions: Iterable[PastDecision], time_zone: tzinfo) -> None:
        ordered = sorted(decisions, key=lambda decision: decision.decided_at)
        self.time_zone = time_zone
        self.size = len(ordered)
        self._overall = _Counts(ordered)
        self._groups: dict[str, dict[str, _Counts]] = {}
        for feature, key in ((CLIENT, "client"), (ROLE_FAMILY, "role_family"), (SOURCE, "source")):
            grouped: dict[str, list[PastDecision]] = {}
            for decision in ordered:
                group = getattr(decision, key)
                if group:
                    grouped.setdefault(group, []).append(decision)
            self._groups[feature] = {group: _Counts(members) for group, members in grouped.items()}

    def cutoff(self, moment: datetime) -> datetime:
        """The start of the moment's local day: decisions strictly before it count."""
        local = moment.astimezone(self.time_zone)
        return datetime.combine(local.date(), time.min, tzinfo=self.time_zone)

    def as_of(self, moment: datetime, *, client: str, title: str, source: str) -> TrackRecordValues:
        """The history features of an application of `client`, for a job titled `title`, of a candidate
        found through `source`, as of `moment`."""
        cutoff = self.cutoff(moment).timestamp()
        total, total_lost = self._overall.before(cutoff)
        if total == 0:
            return _ZERO
        overall = min(RATE_CEILING, max(RATE_FLOOR, total_lost / total))
        family = role_family(title)
        values: dict[str, float] = {}
        texts: dict[str, str] = {}
        for feature, group, subject in (
            (CLIENT, client, f"Candidates for {client}"),
            (ROLE_FAMILY, family, f"Candidates for {family} roles"),
            (SOURCE, source, f"Candidates found through {_source_label(source)}"),
        ):
            counts = self._groups[feature].get(group) if group else None
            n, lost = counts.before(cutoff) if counts is not None else (0, 0)
            if n == 0:
                values[feature] = 0.0
                continue
            rate = (lost + PRIOR_OUTCOMES * overall) / (n + PRIOR_OUTCOMES)
            values[feature] = _logit(rate) - _logit(overall)
            texts[feature] = (f"{subject} were lost in {lost} of {n} past decision{'s' if n != 1 else ''} "
                              f"({_percent(lost / n)}), against {_percent(total_lost / total)} overall")
        return TrackRecordValues(values, texts)


def _source_label(source: str) -> str:
    try:
        return str(CandidateSource(source).label)
    except ValueError:
        return source
