"""Download the draft as a workbook; upload a filled one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.access import get_draft_for_user
from assessments.forms import WorkbookForm
from assessments.workbook import sheets as workbook
from portal import access
from portal.downloads import send_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
@access.signed_in
def download(request, pk):
    assessment = get_draft_for_user(request.user, pk)
    name = f"assessment-{assessment.member_state.eu_code}-{assessment.cycle.year}.xlsx"
    return send_file(request, workbook.export_workbook(assessment), filename=name, content_type=XLSX,
                    subject=assessment, what="workbook", assessment=assessment, marking=assessment.marking)


@access.signed_in
def upload(request, pk):
    assessment = get_draft_for_user(request.user, pk, write=request.method == "POST")
    form = WorkbookForm(request.POST or None, request.FILES or None)
    errors, imported = [], None
    if request.method == "POST" and form.is_valid():
        try:
            imported = workbook.import_workbook(assessment=assessment, content=form.cleaned_data["workbook"],
                                                user=request.user)
        except workbook.WorkbookRefused as refused:  # the file as a whole: said next to the file field
            form.add_error("workbook", refused.message)
        except workbook.WorkbookInvalid as invalid:
            errors = invalid.errors
        else:
            if imported.applied:
                messages.success(request, _("Workbook applied to: %(sections)s.")
                                 % {"sections": ", ".join(str(s.label) for s in imported.applied)})
            elif not imported.refused:
                messages.info(request, _("The workbook holds the same answers as the draft: nothing changed."))
            if not imported.refused:
                return redirect("assessments:overview", pk=pk)
            # Applied but for some rows: the page lists them by cell (a redirect would lose the list).
            form = WorkbookForm()
    return render(request, "assessments/workbook.html", {
        "assessment": assessment, "form": form, "errors": errors, "refused": imported.refused if imported else [],
    }, status=400 if errors or form.errors else 200)
