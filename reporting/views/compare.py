"""Member states side by side, question by question; exported as XLSX or PDF with ?export=."""

from django.shortcuts import render

from assessments.models import Section
from portal import access
from portal.downloads import send_file
from reporting import exports
from reporting.access import get_cycle_for_user
from reporting.compare import comparison
from reporting.forms import CompareForm
from reporting.method import method_note

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@access.reviewer
def compare(request, cycle_pk):
    cycle = get_cycle_for_user(request.user, cycle_pk)
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
    return render(request, "reporting/compare.html", {"cycle": cycle, "form": form, "result": result,
                                                      "query": request.GET.urlencode(), "method": method_note()})
