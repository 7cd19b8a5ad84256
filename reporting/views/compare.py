"""Member states side by side, question by question; exported as XLSX or PDF by a job (reporting/views/exports.py)."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from assessments.models import Section
from assessments.population import population_token, this_minute
from portal import access
from portal.lib import fragments
from reporting.access import get_cycle_for_user
from reporting.compare import comparison, previous_cycle_of
from reporting.forms import CompareForm
from reporting.method import method_note


@access.reviewer
def compare(request, cycle_pk):
    cycle = get_cycle_for_user(request.user, cycle_pk)
    # The page: the same for every reviewer asking the same of the same population (and previous cycle's). The export
    # form between its two parts is not kept: it carries the reader's own CSRF token.
    previous = previous_cycle_of(cycle) if request.GET.get("previous") else None
    key = ("compare", cycle.pk, population_token(cycle.pk), previous and population_token(previous.pk),
           this_minute(), fragments.query_key(request.GET))
    choices, result = fragments.remembered(key, lambda: _page_parts(request, cycle))
    return render(request, "reporting/compare.html", {
        "cycle": cycle, "choices": mark_safe(choices), "result": mark_safe(result),
        "export_fields": [(name, value) for name in ("member_states", "section", "previous", "differ")
                          for value in request.GET.getlist(name)]})


def _page_parts(request, cycle):
    """The choices (form) and the comparison they give, as two pieces of HTML; the second empty without one."""
    form = CompareForm(request.GET or None, cycle=cycle)
    result = None
    if form.is_valid():
        result = comparison(cycle, list(form.cleaned_data["member_states"]), Section(form.cleaned_data["section"]),
                            with_previous=form.cleaned_data["previous"], only_differing=form.cleaned_data["differ"])
    context = {"cycle": cycle, "form": form, "result": result, "method": method_note()}
    return (render_to_string("reporting/includes/compare_body.html", context),
            render_to_string("reporting/includes/compare_result.html", context) if result else "")
