"""Charts drawn on the server as SVG: no script, no CDN, readable in print. Each chart is drawn from numbers
a table beside it shows as they are (homestretch.insights.tables); a chart never computes a figure.

Every label is escaped; the SVG scales to its container (viewBox) and carries a title for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 220
ROW = 28
INK = "#1f2933"
MUTED = "#5b6575"
BAR = "#3867d6"
BAND = "#c9d6f5"
GRID = "#dde2ea"


def _svg(height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308  every text inside went through escape()
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<style>text{{font:12px system-ui,sans-serif;fill:{INK}}} .m{{fill:{MUTED}}}</style>'
        + "".join(body) + "</svg>")


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


def _empty(title: str) -> SafeString:
    return _svg(40, title, [f'<text x="0" y="24" class="m">Nothing to draw: no {escape(title.lower())} in '
                            "this period.</text>"])


def bar_chart(items: Sequence[tuple[str, float]], *, title: str, percent: bool = False) -> SafeString:
    """Horizontal bars, one per (label, value), longest scaled to the width."""
    if not items:
        return _empty(title)
    top = max((value for _, value in items), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 60
    body = []
    for index, (label, value) in enumerate(items):
        y = index * ROW + 6
        length = max(0.0, value) / top * span
        shown = _percent(value) if percent else f"{value:,.0f}"
        body.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(label[:34])}</text>'
                    f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW - 10}" '
                    f'fill="{BAR}" rx="2"/>'
                    f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 15}" class="m">{shown}</text>')
    return _svg(len(items) * ROW + 12, title, body)


def interval_chart(items: Sequence[tuple[str, float | None, float | None, float | None, int]], *,
                   title: str) -> SafeString:
    """A rate per group on a 0–100 % axis: a dot at the rate, a line across its 95 % interval, n beside."""
    if not items:
        return _empty(title)
    span = WIDTH - LABEL_WIDTH - 70
    height = len(items) * ROW + 30
    body = []
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = LABEL_WIDTH + tick * span
        body.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}" stroke="{GRID}"/>'
                    f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" class="m">{tick * 100:.0f} %</text>')
    for index, (label, value, low, high, n) in enumerate(items):
        y = index * ROW + 16
        body.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 4}" text-anchor="end">{escape(label[:34])}</text>')
        if value is None or low is None or high is None:
            body.append(f'<text x="{LABEL_WIDTH}" y="{y + 4}" class="m">no answered offers</text>')
            continue
        body.append(f'<line x1="{LABEL_WIDTH + low * span:.1f}" y1="{y}" x2="{LABEL_WIDTH + high * span:.1f}" '
                    f'y2="{y}" stroke="{BAR}" stroke-width="3"/>'
                    f'<circle cx="{LABEL_WIDTH + value * span:.1f}" cy="{y}" r="5" fill="{BAR}"/>'
                    f'<text x="{WIDTH - 62}" y="{y + 4}" class="m">{_percent(value)}, n={n}</text>')
    return _svg(height, title, body)


def trend_chart(points: Sequence[tuple[str, float | None, float | None, float | None]], *,
                title: str) -> SafeString:
    """A rate by month on a 0–100 % axis: the line through the months with answers, its 95 % interval shaded."""
    if not points:
        return _empty(title)
    left, bottom, height = 40, 200, 230
    span = WIDTH - left - 10
    step = span / max(1, len(points) - 1) if len(points) > 1 else 0

    def x(index: int) -> float:
        return left + index * step if len(points) > 1 else left + span / 2

    def y(value: float) -> float:
        return bottom - value * (bottom - 10)

    body = []
    for tick in (0, 0.5, 1):
        body.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{WIDTH - 10}" y2="{y(tick):.1f}" stroke="{GRID}"/>'
                    f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" class="m">{tick * 100:.0f} %</text>')
    known = [(i, value, low, high) for i, (_, value, low, high) in enumerate(points)
             if value is not None and low is not None and high is not None]
    if known:
        upper = " ".join(f"{x(i):.1f},{y(high):.1f}" for i, _, _, high in known)
        lower = " ".join(f"{x(i):.1f},{y(low):.1f}" for i, _, low, _ in reversed(known))
        body.append(f'<polygon points="{upper} {lower}" fill="{BAND}"/>')
        line = " ".join(f"{x(i):.1f},{y(value):.1f}" for i, value, _, _ in known)
        body.append(f'<polyline points="{line}" fill="none" stroke="{BAR}" stroke-width="2"/>')
        body.extend(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3" fill="{BAR}"/>' for i, value, _, _ in known)
    every = max(1, math.ceil(len(points) / 7))
    for index, (month, *_rest) in enumerate(points):
        if index % every == 0:
            body.append(f'<text x="{x(index):.1f}" y="{height - 12}" text-anchor="middle" class="m">'
                        f"{escape(month)}</text>")
    return _svg(height, title, body)
