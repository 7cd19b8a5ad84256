"""Admins' pages of a cycle that concern the assessment: its questionnaire, and which member states it asks."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessments import services
from assessments.forms import CoverageForm, QuestionnaireForm
from portal import access
from portal.models import ReportingCycle


@access.admin
def questionnaire(request, cycle_pk):
    cycle = get_object_or_404(ReportingCycle, pk=cycle_pk)
    form = QuestionnaireForm(request.POST or None, instance=services.questionnaire_for(cycle))
    if request.method == "POST" and form.is_valid():
        form.save()
        services.drafts_ensure_rows(cycle=cycle)
        messages.success(request, _("Questionnaire saved."))
        return redirect("cycle_detail", pk=cycle.pk)
    return render(request, "assessments/questionnaire.html", {"cycle": cycle, "form": form},
                  status=400 if form.errors else 200)


@access.admin
def coverage(request, cycle_pk):
    cycle = get_object_or_404(ReportingCycle, pk=cycle_pk)
    form = CoverageForm(request.POST or None, cycle=cycle, submitted=services.submitted_member_state_ids(cycle))
    if request.method == "POST" and form.is_valid():
        services.coverage_change(cycle=cycle, added=form.added, removed=form.removed, user=request.user,
                                 reason=form.cleaned_data["reason"])
        messages.success(request, _("Member states asked: %(added)s added, %(removed)s removed.")
                         % {"added": len(form.added), "removed": len(form.removed)})
        return redirect("cycle_detail", pk=cycle.pk)
    return render(request, "assessments/coverage.html", {"cycle": cycle, "form": form},
                  status=400 if form.errors else 200)
