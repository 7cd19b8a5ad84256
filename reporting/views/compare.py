"""Member states side by side, question by question; exported as XLSX or PDF with ?export=."""

from django.shortcuts import render
from django.template.loader import render_to_string

from assessments.models import Section
from assessments.population import population_token, this_minute
from portal import access
from portal.downloads import send_file
from portal.lib import fragments
from reporting import exports
from reporting.access import get_cycle_for_user
from reporting.compare import comparison, previous_cycle_of
from reporting.forms import CompareForm
from reporting.method import method_note

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@access.reviewer
def compare(request, cycle_pk):
    cycle = get_cycle_for_user(request.user, cycle_pk)
    if request.GET.get("export") not in ("xlsx", "pdf"):
        # The page: the same for every reviewer asking the same of the same population (and previous cycle's).
        previous = previous_cycle_of(cycle) if request.GET.get("previous") else None
        key = ("compare", cycle.pk, population_token(cycle.pk), previous and population_token(previous.pk),
               this_minute(), fragments.query_key(request.GET))
        return render(request, "reporting/compare.html", {
            "cycle": cycle, "body": fragments.cached(key, lambda: _page_body(request, cycle))})
    form = CompareForm(request.GET or None, cycle=cycle)
    result = None
    if form.is_valid():
        result = comparison(cycle, list(form.cleaned_data["member_states"]), Section(form.cleaned_data["section"]),
                            with_previous=form.cleaned_data["previous"])
        export = request.GET.get("export")
        if export in ("xlsx", "pdf"):
            name = f"comparison-{cycle.year}-{result.section.value}.{export}"
            body = exports.comparison_xlsx(result) if export == "xlsx" else exports.comparison_pdf(result, request)
            return send_file(request, body, filename=name, content_type=XLSX if export == "xlsx" else "application/pdf",
                            subject=cycle, what="comparison",
                            codes=",".join(sorted(ms.eu_code for ms in form.cleaned_data["member_states"])))
    return render(request, "reporting/compare.html", {"cycle": cycle, "body": _page_body(request, cycle)})


def _page_body(request, cycle):
    form = CompareForm(request.GET or None, cycle=cycle)
    result = None
    if form.is_valid():
        result = comparison(cycle, list(form.cleaned_data["member_states"]), Section(form.cleaned_data["section"]),
                            with_previous=form.cleaned_data["previous"])
    return render_to_string("reporting/includes/compare_body.html", {
        "cycle": cycle, "form": form, "result": result, "query": request.GET.urlencode(), "method": method_note()})
