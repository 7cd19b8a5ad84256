"""Server-rendered SVG charts of a review: nothing loaded from the internet, and they print in the PDF.

Each chart carries a title and a description for screen readers; the data
table beneath it on the page holds the same figures. A label longer than its room wraps onto a few lines and, beyond
them, ends in an ellipsis; its full text stays in a <title> (a tooltip on screen) and in the description.
"""

import textwrap
from dataclasses import dataclass
from html import escape

from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessments.models import RiskScenario
from reporting.tables import STATUS_LABELS, member_state_names, segment_label, titles

LEVEL_COLOURS = {"low": "#2e7d32", "medium": "#f9a825", "high": "#ef6c00", "critical": "#b71c1c", None: "#e0e0e0"}
LEVEL_MARKS = {"low": "L", "medium": "M", "high": "H", "critical": "C", None: ""}
# Text on each colour with a contrast ratio of at least 4.5:1.
LEVEL_TEXT = {"low": "#fff", "medium": "#000", "high": "#000", "critical": "#fff", None: "#000"}
STATUS_COLOURS = {"not_started": "#9e9e9e", "planned": "#ffd54f", "in_preparation": "#fb8c00",
                  "adopted": "#64b5f6", "applied": "#0d47a1", "not_applicable": "#e0e0e0", "unanswered": "#ffffff"}


@dataclass
class Chart:
    key: str
    title: str
    svg: str


# DejaVu Sans at the charts' 12 units: about 7 units a character on average; a label's room is counted in characters.
CHARACTER = 7
LINE = 14


def label_lines(text, room, lines=1):
    """`text` on at most `lines` lines of `room` characters, the last ending in an ellipsis when the text goes on."""
    wrapped = textwrap.wrap(str(text), room, break_long_words=True, break_on_hyphens=False) or [""]
    if len(wrapped) <= lines:
        return wrapped
    kept = wrapped[:lines]
    kept[-1] = kept[-1][:room - 1].rstrip() + "…"
    return kept


def _label(text, x, y, lines):
    """A right-aligned label whose lines are centred on `y`, its full text in a <title> (a tooltip) when shortened."""
    top = y - (len(lines) - 1) * LINE / 2
    spans = "".join(f'<tspan x="{x}" y="{top + i * LINE:.1f}">{escape(line)}</tspan>' for i, line in enumerate(lines))
    title = f"<title>{escape(str(text))}</title>" if " ".join(lines) != str(text) else ""
    return f'<g>{title}<text text-anchor="end">{spans}</text></g>'


def _svg(width, height, title, desc, body, key):
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width * 1.25:.0f}" '
        f'height="{height * 1.25:.0f}" role="img" '
        f'aria-labelledby="{key}-title {key}-desc" class="review-chart" font-family="DejaVu Sans, sans-serif" '
        f'font-size="12"><title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(desc)}</desc>'
        f'{body}</svg>')


def bars(key, title, items, maximum, unit=""):
    """Horizontal bars: items are (label, value); a label wraps onto up to three lines."""
    gap, left, width, room = 8, 340, 360, 46
    body, y = [], 10
    for label, value in items:
        lines = label_lines(label, room, lines=3)
        height = max(22, len(lines) * LINE + gap)
        middle = y + height / 2
        length = 0 if not maximum else width * (value or 0) / maximum
        body.append(_label(label, left - 6, middle + 4, lines)
                    + f'<rect x="{left}" y="{middle - 7.5:.1f}" width="{length:.1f}" height="15" fill="#1565c0"/>'
                    f'<text x="{left + length + 4:.1f}" y="{middle + 4:.1f}">{escape(str(value))}{unit}</text>')
        y += height
    desc = "; ".join(f"{label}: {value}{unit}" for label, value in items)
    return _svg(left + width + 60, y + 10, title, desc, "".join(body), key)


def stacked(key, title, items, categories, labels):
    """Stacked horizontal bars: items are (label, {category: count}), drawn in the order of `categories`."""
    row, left, width = 22, 70, max(480, 115 * len(categories) - 50)
    total = max((sum(counts.values()) for _, counts in items), default=0) or 1
    body = []
    for i, (label, counts) in enumerate(items):
        y, x = 40 + i * row, left
        body.append(_label(label, left - 6, y + 13, label_lines(label, left // CHARACTER - 1)))
        for category in categories:
            n = counts.get(category, 0)
            if n:
                w = width * n / total
                body.append(f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="15" '
                            f'fill="{STATUS_COLOURS[category]}" stroke="#333" stroke-width="0.3"/>')
                x += w
    legend = "".join(f'<rect x="{left + i * 115}" y="8" width="10" height="10" fill="{STATUS_COLOURS[c]}" '
                     f'stroke="#333" stroke-width="0.3"/><text x="{left + i * 115 + 14}" y="17">'
                     f'{escape(str(labels.get(c, c)))}</text>' for i, c in enumerate(categories))
    desc = "; ".join(f"{label}: " + ", ".join(f"{labels.get(c, c)} {n}" for c, n in counts.items())
                     for label, counts in items)
    return _svg(left + max(width, 115 * len(categories)) + 20, 50 + row * len(items), title, desc,
                legend + "".join(body), key)


def heatmap(key, title, columns, rows):
    """Member states by scenario, coloured by risk level, with the level's initial for those who cannot see colour."""
    cell, left, top = 26, 140, 24
    body = [f'<text x="{left + i * cell + cell / 2}" y="16" text-anchor="middle">{escape(c)}</text>'
            for i, c in enumerate(columns)]
    for j, (label, levels) in enumerate(rows):
        y = top + j * cell
        body.append(_label(label, left - 6, y + 17, label_lines(label, left // CHARACTER - 1)))
        for i, level in enumerate(levels):
            x = left + i * cell
            body.append(f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{LEVEL_COLOURS[level]}"/>'
                        f'<text x="{x + (cell - 2) / 2}" y="{y + 17}" text-anchor="middle" fill="{LEVEL_TEXT[level]}">'
                        f'{LEVEL_MARKS[level]}</text>')
    desc = "; ".join(f"{label}: " + ", ".join(f"{c} {level or 'not rated'}" for c, level in zip(columns, levels))
                     for label, levels in rows)
    return _svg(left + cell * len(columns) + 10, top + cell * len(rows) + 10, title, desc, "".join(body), key)


def heatmap_chart(listing):
    """Risk levels of a page of member states (reviewers only), or None when none rated a scenario."""
    heat = listing["heatmap"]
    if not heat["rows"]:
        return None
    names = member_state_names()
    return Chart("chart-heatmap", _("Risk levels by member state and scenario"), heatmap(
        "chart-heatmap", _("Risk levels by member state and scenario"), heat["columns"],
        [(names.get(r["ms"], r["ms"]), r["levels"]) for r in heat["rows"]]))


def review_charts(results, *, public=False):
    """The charts of the EU figures; for authority staff (`public`) without items over small groups."""
    minimum = settings.REVIEW_MIN_GROUP_SIZE if public else 0
    scenarios = [s for s in results["scenarios"] if s["n"] >= minimum]
    title = titles(RiskScenario)
    charts = [Chart("chart-severe", _("Member states rating each scenario high or critical"), bars(
        "chart-severe", _("Member states rating each scenario high or critical"),
        [(f'{s["code"]} {title.get(s["code"], "")}'.strip(), s["high_or_critical"]) for s in scenarios],
        max([s["n"] for s in scenarios] or [0])))]
    toolbox = results["toolbox"]
    measures = [m for m in toolbox["measures"] if m.get("n", 0) >= minimum]
    if measures:
        categories = [*toolbox["statuses"], "unanswered"]
        labels = {**{k: str(v) for k, v in STATUS_LABELS.items()}, "unanswered": _("Unanswered")}
        charts.append(Chart("chart-toolbox", _("Member states at each status, by Toolbox measure"), stacked(
            "chart-toolbox", _("Member states at each status, by Toolbox measure"),
            [(m["code"], m["counts"]) for m in measures], categories, labels)))
    for segment in results["suppliers"]["segments"]:
        if segment["suppliers"] and segment["reporting"] >= minimum:
            key = f'chart-{segment["segment"]}'
            title = _("Mean national market share: %(segment)s") % {"segment": segment_label(segment["segment"])}
            items = [(s["name"], s["mean_share"]) for s in segment["suppliers"]]
            charts.append(Chart(key, title, bars(key, title, items, 100, "%")))
    return charts
