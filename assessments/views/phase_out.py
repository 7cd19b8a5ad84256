"""The phase-out tracker of a draft: its rows with their status today, a row added, changed or removed."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import services
from assessments.access import get_phase_out_entry_for_user, get_phase_out_for_user
from assessments.forms import PhaseOutEntryForm
from assessments.models import PhaseOutEntry
from portal import access


@access.signed_in
def tracker(request, pk):
    """The rows, and a form to add one; a refused row is shown again with its messages, nothing typed lost."""
    assessment = get_phase_out_for_user(request.user, pk, write=request.method == "POST")
    form = PhaseOutEntryForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        entry = services.phase_out_entry_save(assessment=assessment, form=form)
        messages.success(request, _("Row added: %(row)s.") % {"row": entry})
        return redirect("assessments:phase_out", pk=pk)
    now = timezone.now()
    rows = [(entry, entry.deadline, entry.status_at(now)) for entry in PhaseOutEntry.objects.filter(
        assessment=assessment, version__isnull=True).select_related("asset_class", "supplier")]
    return render(request, "assessments/phase_out.html", {
        "assessment": assessment, "rows": rows, "form": form, "as_of": now,
        "editable": assessment.is_editable_by(request.user)}, status=400 if form.errors else 200)


@access.signed_in
def entry_edit(request, pk, entry_pk):
    assessment, entry = get_phase_out_entry_for_user(request.user, pk, entry_pk, write=True)
    form = PhaseOutEntryForm(request.POST or None, instance=entry, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        services.phase_out_entry_save(assessment=assessment, form=form)
        messages.success(request, _("Row saved: %(row)s.") % {"row": entry})
        return redirect("assessments:phase_out", pk=pk)
    return render(request, "assessments/phase_out_entry.html", {"assessment": assessment, "entry": entry,
                                                                "form": form}, status=400 if form.errors else 200)


@require_POST
@access.signed_in
def entry_remove(request, pk, entry_pk):
    assessment, entry = get_phase_out_entry_for_user(request.user, pk, entry_pk, write=True)
    services.phase_out_entry_remove(assessment=assessment, entry=entry)
    messages.success(request, _("Row removed: %(row)s.") % {"row": entry})
    return redirect("assessments:phase_out", pk=pk)
