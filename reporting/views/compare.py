"""Member states side by side, question by question; exported as XLSX or PDF by a job (reporting/views/exports.py)."""

from django.shortcuts import render
from django.template.loader import render_to_string

from assessments.models import Section
from assessments.population import counted_of, cycle_population, withheld_of
from portal import access
from portal.lib import fragments
from portal.markings import marking_of
from reporting.access import get_cycle_for_user
from reporting.compare import compared_versions, comparison, previous_cycle_of
from reporting.forms import CapForm, CompareForm
from reporting.method import method_note


@access.reviewer
def compare(request, cycle_pk):
    """The choices, rendered by each request, and the comparison they give, kept by the versions it shows."""
    cycle = get_cycle_for_user(request.user, cycle_pk)
    members = cycle_population(cycle)
    counted = counted_of(members)
    form = CompareForm(request.GET or None, cycle=cycle, counted=counted)
    return render(request, "reporting/compare.html", {
        "cycle": cycle, "form": form, "invalid": bool(form.errors), "page_marking": marking_of(counted),
        "withheld": withheld_of(members),
        "result": _result(cycle, form.cleaned_data, counted) if form.is_valid() else None,
        "cap_form": CapForm(),
        "export_fields": [(name, value) for name in ("member_states", "section", "previous", "differ")
                          for value in request.GET.getlist(name)]})


def _result(cycle, choices, counted):
    """The comparison's table. Submitted versions never change: it is kept for the ids of those the cycle (and the
    previous one) counts now, so a new submission is a new key."""
    member_states, section = list(choices["member_states"]), Section(choices["section"])
    previous = previous_cycle_of(cycle) if choices["previous"] else None
    versions = {cycle: counted, **compared_versions(previous)} if previous else {cycle: counted}
    key = ("comparison", cycle.pk, cycle.title, previous and (previous.pk, previous.year),
           tuple(m.pk for m in member_states), section.value, choices["differ"],
           *(tuple(sorted(v.pk for v in counted)) for counted in versions.values()))

    def render_result():
        result = comparison(cycle, member_states, section, with_previous=choices["previous"],
                            only_differing=choices["differ"], versions=versions)
        return render_to_string("reporting/includes/compare_result.html", {
            "result": result, "form": {"cleaned_data": choices}, "method": method_note()})

    return fragments.cached(key, render_result)
