"""The admins' pages for reporting cycles, milestones, extensions and reopening."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.services import questionnaire_for
from portal import services
from portal.forms import CycleForm, ExtensionForm, MilestoneForm, QuestionnaireForm, ReopeningForm
from portal.lib.access import admin_required
from portal.models import Extension, Milestone, ReportingCycle, Reopening


def _form_page(request, form, title, cancel, status=None):
    return render(request, "portal/form.html", {"form": form, "title": title, "cancel": cancel},
                  status=status or (400 if form.errors else 200))


@admin_required
def cycle_create(request):
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cycle = services.cycle_create(form=form)
        messages.success(request, _("Cycle “%(title)s” created; add its milestones.") % {"title": cycle})
        return redirect("cycle_detail", pk=cycle.pk)
    return _form_page(request, form, _("New reporting cycle"), "manage_home")


@admin_required
def cycle_detail(request, pk):
    cycle = get_object_or_404(
        ReportingCycle.objects.prefetch_related(
            "member_states",
            Prefetch("milestones", queryset=Milestone.objects.prefetch_related(
                Prefetch("extensions", queryset=Extension.objects.select_related("member_state", "granted_by")))),
            Prefetch("reopenings", queryset=Reopening.objects.select_related("member_state", "granted_by")),
        ), pk=pk)
    return render(request, "portal/cycle_detail.html", {
        "cycle": cycle, "questionnaire": questionnaire_for(cycle), "reopening_form": ReopeningForm(cycle=cycle)})


@admin_required
def cycle_edit(request, pk):
    cycle = get_object_or_404(ReportingCycle, pk=pk)
    questionnaire = questionnaire_for(cycle)
    form = CycleForm(request.POST or None, instance=cycle, prefix="cycle")
    catalogue = QuestionnaireForm(request.POST or None, instance=questionnaire, prefix="questionnaire")
    if request.method == "POST" and all([form.is_valid(), catalogue.is_valid()]):
        form.save()
        catalogue.save()
        messages.success(request, _("Cycle saved."))
        return redirect("cycle_detail", pk=pk)
    return render(request, "portal/cycle_edit.html", {"cycle": cycle, "form": form, "catalogue": catalogue},
                  status=400 if form.errors or catalogue.errors else 200)


@admin_required
def milestone_edit(request, cycle_pk, pk=None):
    cycle = get_object_or_404(ReportingCycle, pk=cycle_pk)
    milestone = get_object_or_404(Milestone, pk=pk, cycle=cycle) if pk else Milestone(cycle=cycle)
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Milestone %(code)s saved.") % {"code": milestone.code})
        return redirect("cycle_detail", pk=cycle.pk)
    title = _("Milestone %(code)s") % {"code": milestone.code} if pk else _("New milestone")
    return _form_page(request, form, title, "manage_home")


@admin_required
def extension_grant(request, milestone_pk):
    milestone = get_object_or_404(Milestone.objects.select_related("cycle"), pk=milestone_pk,
                                  scope=Milestone.Scope.MEMBER_STATE)
    form = ExtensionForm(request.POST or None, milestone=milestone)
    if request.method == "POST" and form.is_valid():
        extension = services.extension_grant(form=form, user=request.user)
        messages.success(request, _("%(ms)s may submit until %(due)s.")
                         % {"ms": extension.member_state, "due": extension.due_date})
        return redirect("cycle_detail", pk=milestone.cycle_id)
    return _form_page(request, form, _("Grant an extension for %(m)s") % {"m": milestone.title}, "manage_home")


@require_POST
@admin_required
def extension_revoke(request, pk):
    extension = get_object_or_404(Extension.objects.select_related("milestone"), pk=pk)
    extension.delete()
    messages.success(request, _("Extension revoked."))
    return redirect("cycle_detail", pk=extension.milestone.cycle_id)


@require_POST
@admin_required
def cycle_status(request, pk):
    cycle = get_object_or_404(ReportingCycle, pk=pk)
    if request.POST.get("action") == "close":
        services.cycle_close(cycle=cycle)
        messages.success(request, _("Cycle closed: drafts can no longer be edited."))
    else:
        services.cycle_open(cycle=cycle)
        messages.success(request, _("Cycle open again."))
    return redirect("cycle_detail", pk=pk)


@require_POST
@admin_required
def reopening_grant(request, pk):
    cycle = get_object_or_404(ReportingCycle, pk=pk)
    form = ReopeningForm(request.POST, cycle=cycle)
    if form.is_valid():
        services.reopening_grant(cycle=cycle, user=request.user, **form.cleaned_data)
        messages.success(request, _("Reopened for %(ms)s.") % {"ms": form.cleaned_data["member_state"]})
        return redirect("cycle_detail", pk=pk)
    return _form_page(request, form, _("Reopen for one member state"), "manage_home")


@require_POST
@admin_required
def reopening_revoke(request, pk):
    reopening = get_object_or_404(Reopening, pk=pk)
    reopening.delete()
    messages.success(request, _("Reopening withdrawn."))
    return redirect("cycle_detail", pk=reopening.cycle_id)


