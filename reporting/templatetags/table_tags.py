"""A review table's cells, written in Python: the review's tables have some 900 of them, and a loop, a test and a
filter per cell in the template were most of the page's time (templates/reporting/includes/review_tables.html)."""

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def table_cells(context, row):
    """The row's first cell as its header, the others as data; a missing figure (None) as "—". Each value is
    written as `{{ value }}` would write it: localised (2,5 in French), escaped."""
    cells = ["—" if cell is None else render_value_in_context(cell, context) for cell in row]
    if not cells:
        return ""
    return mark_safe(f'<th scope="row" class="fw-normal">{cells[0]}</th>' + "".join(f"<td>{c}</td>" for c in cells[1:]))
