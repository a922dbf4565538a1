"""Geometry for the report's inline SVG charts (timeline, numbers over time).

Only numbers and plain strings come out of here; the templates draw them with autoescape on, so no text from an
article ever reaches the page unescaped. Each outlet gets a colour *and* a shape so colour is never the only signal.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..model import PartialDate

# Okabe–Ito colour-blind-safe palette (darkened where needed for 3:1 contrast against white).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6D00", "#56B4E9", "#000000", "#E69F00")
SHAPES = ("circle", "square", "triangle", "diamond", "cross", "star")
WIDTH = 960


@dataclass(slots=True)
class Style:
    colour: str
    shape: str


def outlet_styles(outlets: list[str]) -> dict[str, Style]:
    """A stable (colour, shape) per outlet; pairs cycle so the first 48 outlets are all distinct."""
    out: dict[str, Style] = {}
    for i, name in enumerate(outlets):
        j, k = i % len(PALETTE), i // len(PALETTE)
        out[name] = Style(PALETTE[j], SHAPES[(j + k) % len(SHAPES)])
    return out


def shape_points(shape: str, x: float, y: float, r: float = 6.0) -> str:
    """SVG polygon points for a marker shape centred on (x, y) ('circle' is drawn as a <circle> instead)."""
    if shape == "square":
        pts = [(-r, -r), (r, -r), (r, r), (-r, r)]
    elif shape == "triangle":
        pts = [(0, -r * 1.2), (r * 1.1, r * 0.8), (-r * 1.1, r * 0.8)]
    elif shape == "diamond":
        pts = [(0, -r * 1.3), (r * 1.1, 0), (0, r * 1.3), (-r * 1.1, 0)]
    elif shape == "cross":
        a, b = r * 0.4, r * 1.15
        pts = [(-a, -b), (a, -b), (a, -a), (b, -a), (b, a), (a, a), (a, b), (-a, b), (-a, a), (-b, a), (-b, -a), (-a, -a)]
    elif shape == "star":
        pts = [((r * 1.3 if i % 2 == 0 else r * 0.55) * math.sin(i * math.pi / 5),
                -(r * 1.3 if i % 2 == 0 else r * 0.55) * math.cos(i * math.pi / 5)) for i in range(10)]
    else:
        return ""
    return " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in pts)


def parse_partial(value: Any) -> tuple[date, date, str] | None:
    """ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a time after a day is ignored) → (first day, last day,
    precision), by ``PartialDate``."""
    p = PartialDate.parse(value)
    return (*p.span, p.precision) if p else None


def _add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)


def _ticks(scale: Scale, d0: date, d1: date) -> list[dict[str, Any]]:
    """Axis ticks with the text anchored inwards at the plot's edges so no label is clipped."""
    out = []
    for d, label in date_ticks(d0, d1):
        x = scale.x(d)
        anchor = "start" if x - scale.x0 < 30 else "end" if scale.x1 - x < 30 else "middle"
        out.append({"x": x, "label": label, "anchor": anchor})
    return out


def date_ticks(d0: date, d1: date, max_ticks: int = 8) -> list[tuple[date, str]]:
    """Readable tick dates between d0 and d1: days, weeks, months or years, whichever gives ≤ max_ticks."""
    span = max((d1 - d0).days, 1)
    for step in (1, 2, 7, 14):
        if span / step <= max_ticks:
            ticks, d = [], d0
            while d <= d1:
                ticks.append((d, d.strftime("%d %b %Y") if step >= 7 or not ticks else d.strftime("%d %b")))
                d += timedelta(days=step)
            return ticks
    for months in (1, 2, 3, 6, 12, 24, 60, 120):
        if span / (30.4 * months) <= max_ticks:
            d = _add_months(date(d0.year, d0.month, 1), 1) if d0.day > 1 else d0
            while (d.month - 1) % months and months < 12:
                d = _add_months(d, 1)
            if months >= 12:
                d = date(d.year + (1 if d.month > 1 else 0), 1, 1)
            ticks = []
            while d <= d1:
                ticks.append((d, d.strftime("%Y") if months >= 12 else d.strftime("%b %Y")))
                d = _add_months(d, months)
            return ticks
    return [(d0, d0.isoformat()), (d1, d1.isoformat())]


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round-number ticks covering [lo, hi] (Heckbert's method)."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks, v = [], start
    while not ticks or ticks[-1] < hi:
        ticks.append(round(v, 10))
        v += step
    return ticks


def fmt_number(v: float) -> str:
    if v == int(v):
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


@dataclass(slots=True)
class Scale:
    d0: date
    d1: date
    x0: float
    x1: float

    def x(self, d: date) -> float:
        span = max((self.d1 - self.d0).days, 1)
        return round(self.x0 + (d - self.d0).days / span * (self.x1 - self.x0), 1)


def _date_domain(starts: list[date], ends: list[date]) -> tuple[date, date]:
    d0, d1 = min(starts), max(ends)
    pad = max((d1 - d0).days // 30, 2)
    return d0 - timedelta(days=pad), d1 + timedelta(days=pad)


@dataclass(slots=True)
class TimelineChart:
    width: int
    height: int
    lanes: list[dict[str, Any]]
    marks: list[dict[str, Any]]
    ticks: list[dict[str, Any]]
    axis_y: float
    plot_x0: float
    plot_x1: float
    omitted: int = 0
    label_numbers: bool = True


def focus_window(events: list[dict[str, Any]], share: float = 0.75) -> tuple[date, date] | None:
    """The shortest window holding ``share`` of the events, when it is under a third of the whole span: background
    mentioned in passing (an invasion years earlier) would otherwise squeeze the story into one pixel column."""
    if len(events) < 6:
        return None
    starts = sorted(e["start"] for e in events)
    k = max(2, math.ceil(share * len(starts)))
    i = min(range(len(starts) - k + 1), key=lambda j: (starts[j + k - 1] - starts[j]).days)
    lo, hi = starts[i], starts[i + k - 1]
    core = max((hi - lo).days, 14)
    if (max(e["end"] for e in events) - starts[0]).days <= 3 * core:
        return None
    pad = timedelta(days=max(core // 10, 3))
    return lo - pad, hi + pad


def timeline_chart(events: list[dict[str, Any]], styles: dict[str, Style], max_events: int = 150,
                   domain: tuple[date, date] | None = None) -> TimelineChart | None:
    """One lane per outlet; a day-precise event is a marker, a month/year event a bar spanning its period.

    ``events`` items: ``n`` (number shown in the table), ``start``/``end`` dates, ``precision``, ``outlets``, ``label``.
    With ``domain``, only events overlapping it are drawn (bars clipped) and ``omitted`` counts the rest.
    """
    inside = [e for e in events if e["outlets"] and (domain is None or (e["end"] >= domain[0] and e["start"] <= domain[1]))]
    shown = inside[:max_events]
    if not shown:
        return None
    lane_names = [o for o in styles if any(o in e["outlets"] for e in shown)]
    lane_h, top, left, right = 36, 16, 190, WIDTH - 24
    d0, d1 = domain or _date_domain([e["start"] for e in shown], [e["end"] for e in shown])
    scale = Scale(d0, d1, left, right)
    lanes = [{"name": name, "label": name if len(name) <= 26 else name[:25] + "…", "y": top + i * lane_h + lane_h / 2,
              "colour": styles[name].colour, "shape": styles[name].shape} for i, name in enumerate(lane_names)]
    lane_y = {ln["name"]: ln["y"] for ln in lanes}
    crowd: dict[tuple[str, int], int] = {}
    labels: dict[str, list[float]] = defaultdict(list)
    marks = []
    for e in shown:
        for outlet in e["outlets"]:
            if outlet not in lane_y:
                continue
            start, end = max(e["start"], d0), min(e["end"] + timedelta(days=1) if e["precision"] != "day" else e["end"], d1)
            x0, x1 = scale.x(start), scale.x(end)
            cx = (x0 + x1) / 2 if e["precision"] != "day" else x0
            key = (outlet, int(cx // 12))
            k = crowd.get(key, 0)
            crowd[key] = k + 1
            y = lane_y[outlet] + (0, -9, 9, -4, 4)[k % 5]
            # A number label only where it does not overprint another; the tooltip and the table carry it anyway.
            show_n = all(abs(cx - other) >= 16 for other in labels[outlet])
            if show_n:
                labels[outlet].append(cx)
            st = styles[outlet]
            marks.append({"n": e["n"], "x": cx, "y": y, "bar_x": x0, "bar_w": max(x1 - x0, 2), "show_n": show_n,
                          "precision": e["precision"], "colour": st.colour, "shape": st.shape, "outlet": outlet,
                          "title": f"#{e['n']} {e['date_label']} ({e['precision']}) — {outlet}: {e['label']}"})
    axis_y = top + len(lanes) * lane_h + 6
    return TimelineChart(WIDTH, int(axis_y + 34), lanes, marks, _ticks(scale, d0, d1), axis_y, left, right,
                         omitted=len(events) - len(shown), label_numbers=len(shown) <= 80)


@dataclass(slots=True)
class NumbersChart:
    title: str
    width: int
    height: int
    points: list[dict[str, Any]]
    xticks: list[dict[str, Any]]
    yticks: list[dict[str, Any]]
    plot: dict[str, float] = field(default_factory=dict)
    caption: str = ""          # what the series says over time (its change relation), shown under the chart


def numbers_chart(title: str, points: list[dict[str, Any]], styles: dict[str, Style]) -> NumbersChart | None:
    """Values over time: a marker per figure, a vertical bar for a range (low–high), hollow when approximate.

    ``points`` items: ``day`` (date), ``low``, ``high`` (equal for a single value), ``outlet``, ``approximate``, ``text``.
    """
    pts = [p for p in points if p["outlet"] in styles]
    if not pts:
        return None
    left, right, top, bottom = 90, WIDTH - 24, 14, 220
    scale = Scale(*_date_domain([p["day"] for p in pts], [p["day"] for p in pts]), left, right)
    lo = min(0.0, min(p["low"] for p in pts))
    hi = max(p["high"] for p in pts)
    yt = nice_ticks(lo, hi * 1.05 if hi > 0 else hi + 1)
    y_lo, y_hi = yt[0], yt[-1] if yt[-1] > yt[0] else yt[0] + 1

    def y(v: float) -> float:
        return round(bottom - (v - y_lo) / (y_hi - y_lo) * (bottom - top), 1)

    out = []
    for p in pts:
        st = styles[p["outlet"]]
        y_high, y_low = y(p["high"]), y(p["low"])
        out.append({"x": scale.x(p["day"]), "y": (y_high + y_low) / 2, "y_high": y_high, "bar_h": max(y_low - y_high, 0),
                    "range": p["high"] != p["low"], "approximate": p["approximate"], "colour": st.colour,
                    "shape": st.shape, "title": p["title"]})
    return NumbersChart(title, WIDTH, bottom + 40, out,
                        _ticks(scale, scale.d0, scale.d1),
                        [{"y": y(v), "label": fmt_number(v)} for v in yt],
                        {"left": left, "right": right, "top": top, "bottom": bottom})
