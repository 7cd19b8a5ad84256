"""A comparison's cells, written in Python: a 27-member-state table has some 1,000 of them, and a template include
per cell would be most of the page's time (templates/reporting/includes/compare_result.html)."""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

register = template.Library()

# A longer answer shows its start and opens in place (a details element: keyboard and screen readers reach it).
FOLDED_FROM, SHOWN_CHARS = 49, 40


def _text(text, more):
    if len(text) >= FOLDED_FROM:
        short = escape(Truncator(text).chars(SHOWN_CHARS))
        return (f'<details class="cmp-more"><summary><span class="cmp-short">{short}</span>'
                f'<span class="visually-hidden"> {more}</span></summary>'
                f'<div class="cmp-full">{escape(text)}</div></details>')
    return f'<span class="cmp-text">{escape(text)}</span>'


def _marks():
    """The mark of an outlier above (1) and below (-1) the EU median, seen and said."""
    up, down = (escape(_("Above the EU median by two steps or more:")),
                escape(_("Below the EU median by two steps or more:")))
    return {1: f'<span class="cmp-mark cmp-mark-up" aria-hidden="true">▲</span>'
               f'<span class="visually-hidden">{up} </span>',
            -1: f'<span class="cmp-mark cmp-mark-down" aria-hidden="true">▼</span>'
                f'<span class="visually-hidden">{down} </span>', 0: ""}


@register.simple_tag
def compare_cells(row, previous_cycle):
    """The `<td>` of each chosen member state's answer in `row`: its text, the mark of an outlier (reporting.compare
    `outlier()`) and, when compared with the previous cycle, that cycle's answer."""
    more, marks = escape(_("(show the full text)")), _marks()
    written = {}  # text -> its HTML: a scale's few answers recur across the member states

    def text(shown):
        if shown not in written:
            written[shown] = _text(shown, more)
        return written[shown]

    cells = []
    for cell in row.cells:
        previous = ""
        if previous_cycle:
            shown = "—" if cell.previous is None else str(cell.previous)
            previous = f'<div class="small cmp-previous">{previous_cycle.year}: {text(shown)}</div>'
        outlier = max(-1, min(1, cell.outlier))
        cells.append(f'<td class="{escape(cell.css)}{" cmp-outlier" if outlier else ""}">{marks[outlier]}'
                     f"{text(cell.text)}{previous}</td>")
    return mark_safe("".join(cells))
