"""Member states side by side, question by question; exported as XLSX or PDF by a job (reporting/views/exports.py)."""

from django.template.loader import render_to_string

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
    # The page: the same for every reviewer asking the same of the same population (and previous cycle's); the
    # export form's CSRF token is each reader's own (fragments.for_request).
    previous = previous_cycle_of(cycle) if request.GET.get("previous") else None
    key = ("compare", cycle.pk, population_token(cycle.pk), previous and population_token(previous.pk),
           this_minute(), fragments.query_key(request.GET))

    def context():
        invalid, content = fragments.remembered(key, lambda: _page(request, cycle))
        return {"cycle": cycle, "invalid": invalid, "content": fragments.for_request(content, request)}

    return fragments.kept_page(request, (*key, cycle.title), "reporting/compare.html", context)


def _page(request, cycle):
    """Whether the choices are invalid, and the page's content: the choices (form), the comparison they give and its
    export form."""
    form = CompareForm(request.GET or None, cycle=cycle)
    result = None
    if form.is_valid():
        result = comparison(cycle, list(form.cleaned_data["member_states"]), Section(form.cleaned_data["section"]),
                            with_previous=form.cleaned_data["previous"], only_differing=form.cleaned_data["differ"])
    context = {"cycle": cycle, "form": form, "result": result, "method": method_note(), **fragments.STAND_INS,
               "export_fields": [(name, value) for name in ("member_states", "section", "previous", "differ")
                                 for value in request.GET.getlist(name)]}
    return bool(form.errors), render_to_string("reporting/includes/compare_page.html", context)
