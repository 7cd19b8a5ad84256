"""Server-rendered SVG charts of a review: nothing loaded from the internet, and they print in the PDF.

Each chart carries a title and a description for screen readers; the data
table beneath it on the page holds the same figures. A label longer than its room wraps onto a few lines and, beyond
them, ends in an ellipsis; its full text stays in a <title> (a tooltip on screen) and in the description.
"""

import textwrap
from dataclasses import dataclass
from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reporting.tables import STATUS_LABELS, member_state_names, segment_label

LEVEL_COLOURS = {"low": "#2e7d32", "medium": "#f9a825", "high": "#ef6c00", "critical": "#b71c1c", None: "#e0e0e0"}
LEVEL_MARKS = {"low": "L", "medium": "M", "high": "H", "critical": "C", None: ""}
# Text on each colour with a contrast ratio of at least 4.5:1.
LEVEL_TEXT = {"low": "#fff", "medium": "#000", "high": "#000", "critical": "#fff", None: "#000"}
STATUS_COLOURS = {"not_started": "#9e9e9e", "planned": "#ffd54f", "in_preparation": "#fb8c00",
                  "adopted": "#64b5f6", "applied": "#0d47a1", "not_applicable": "#e0e0e0", "unanswered": "#ffffff",
                  # the part of a bar whose statuses member states' staff are not shown (reporting/disclosure.py)
                  "not_shown": "#bdbdbd"}


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


def bars(key, title, items, maximum):
    """Horizontal bars: items are (label, value, text shown beside the bar); a label wraps onto up to three lines. A
    value that is not a number (a figure not shown) draws no bar, only its text."""
    gap, left, width, room = 8, 340, 360, 46
    body, y = [], 10
    for label, value, text in items:
        lines = label_lines(label, room, lines=3)
        height = max(22, len(lines) * LINE + gap)
        middle = y + height / 2
        length = width * value / maximum if maximum and isinstance(value, int | float) else 0
        body.append(_label(label, left - 6, middle + 4, lines)
                    + f'<rect x="{left}" y="{middle - 7.5:.1f}" width="{length:.1f}" height="15" fill="#1565c0"/>'
                    f'<text x="{left + length + 4:.1f}" y="{middle + 4:.1f}">{escape(str(text))}</text>')
        y += height
    desc = "; ".join(f"{label}: {text}" for label, _value, text in items)
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


def _numeric(value):
    return isinstance(value, int | float)


def review_charts(tables):
    """The charts of a review's EU figures, drawn from its tables as their reader gets them (reporting/tables.py):
    a figure hidden there is hidden here, and a table of a section the cycle did not ask has no chart."""
    by_key = {table.key: table for table in tables}
    charts = []
    if by_key.get("scenarios") and by_key["scenarios"].rows:
        charts.append(_severe(by_key["scenarios"]))
    if by_key.get("toolbox") and by_key["toolbox"].rows:
        charts += _toolbox(by_key["toolbox"])
    if by_key.get("suppliers"):
        charts += _shares(by_key["suppliers"])
    return charts


def _severe(table):
    items, counts = [], []
    for row in table.rows:
        code, severe, n = row[0], table.figure(("scenario", row[0], "level", "top")), table.figure(
            ("scenario", row[0], "n"))
        counts += [n] if _numeric(n) else []
        text = _("%(n)s of %(total)s") % {"n": severe, "total": n} if severe is not None else "—"
        items.append((f"{code} {row[1]}".strip() if row[1] != code else code, severe, text))
    title = _("Member states rating each scenario high or critical")
    return Chart("chart-severe", title, bars("chart-severe", title, items, max(counts or [0])))


def _toolbox(table):
    """Stacked bars of each measure's statuses; the cells not shown stand together as one part, of the size the
    total minus the shown cells gives anyway (at least two cells, for at least the minimum of member states)."""
    categories = [*STATUS_COLOURS]
    statuses = [status for status in categories if table.figure(("measure", table.rows[0][0], status)) is not None]
    items = []
    for row in table.rows:
        n = table.figure(("measure", row[0], "n"))
        if not _numeric(n):
            continue  # over fewer member states than the minimum: the whole row is hidden
        counts = {s: table.figure(("measure", row[0], s)) for s in statuses}
        counts = {s: value for s, value in counts.items() if _numeric(value) and value}
        if n - sum(counts.values()):
            counts["not_shown"] = n - sum(counts.values())
        items.append((row[0], counts))
    if not items:
        return []
    shown = [*statuses, *(["not_shown"] if any("not_shown" in counts for _code, counts in items) else [])]
    labels = {**{k: str(v) for k, v in STATUS_LABELS.items()}, "unanswered": _("Unanswered"),
              "not_shown": _("Not shown")}
    title = _("Member states at each status, by Toolbox measure")
    return [Chart("chart-toolbox", title, stacked("chart-toolbox", title, items, shown, labels))]


def _shares(table):
    segments = {}
    for name in table.cells:
        if name[0] == "supplier" and name[-1] == "share":
            segments.setdefault(name[1], []).append((name[2], table.figure(name)))
    charts = []
    for segment, shares in segments.items():
        key = f"chart-{segment}"
        title = _("Mean national market share: %(segment)s") % {"segment": segment_label(segment)}
        items = [(supplier, share, f"{share}%" if _numeric(share) else share) for supplier, share in shares]
        charts.append(Chart(key, title, bars(key, title, items, 100)))
    return charts
