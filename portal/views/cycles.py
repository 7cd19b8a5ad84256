"""The admins' pages for reporting cycles, milestones, extensions and reopening.

What a cycle asks (its questionnaire) and whom (its coverage) are edited on the assessments app's pages, which
know about submissions; these pages link there by URL name.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal import access, services
from portal.forms import CycleForm, ExtensionForm, MilestoneForm, NewCycleForm, ReopeningForm
from portal.models import CycleCoverage, Extension, Milestone, Reopening, ReportingCycle
from portal.templatetags.portal_tags import deadline as deadline_words


def _form_page(request, form, title, cancel):
    return render(request, "portal/form.html", {"form": form, "title": title, "cancel": cancel},
                  status=400 if form.errors else 200)


@access.admin
def cycle_create(request):
    form = NewCycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cycle = services.cycle_create(
            title=data["title"], year=data["year"], starts_on=data["starts_on"], member_states=data["member_states"],
            lock_on_deadline=data["lock_on_deadline"], reminder_days=data["reminder_days"],
            certifiers_required=data["certifiers_required"], user=request.user)
        messages.success(request, _("Cycle “%(title)s” created; add its milestones.") % {"title": cycle})
        return redirect("cycle_detail", pk=cycle.pk)
    return _form_page(request, form, _("New reporting cycle"), "manage_home")


@access.admin
def cycle_detail(request, pk):
    cycle = get_object_or_404(
        ReportingCycle.objects.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.prefetch_related(
                Prefetch("extensions", queryset=Extension.objects.select_related(
                    "member_state", "granted_by", "ended_by")))),
            Prefetch("reopenings", queryset=Reopening.objects.select_related("member_state", "granted_by",
                                                                            "ended_by")),
            Prefetch("coverages", queryset=CycleCoverage.objects.select_related("member_state", "removed_by")),
        ), pk=pk)
    coverages = list(cycle.coverages.all())
    return render(request, "portal/cycle_detail.html", {
        "cycle": cycle, "reopening_form": ReopeningForm(cycle=cycle),
        "covered": [c for c in coverages if c.until is None],
        "removed": [c for c in coverages if c.until is not None]})


@access.admin
def cycle_edit(request, pk):
    cycle = get_object_or_404(ReportingCycle, pk=pk)
    form = CycleForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Cycle saved."))
        return redirect("cycle_detail", pk=pk)
    return _form_page(request, form, _("Edit “%(title)s”") % {"title": cycle.title}, "manage_home")


@access.admin
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


@access.admin
def extension_grant(request, milestone_pk):
    milestone = get_object_or_404(Milestone.objects.select_related("cycle"), pk=milestone_pk,
                                  scope=Milestone.Scope.MEMBER_STATE)
    form = ExtensionForm(request.POST or None, milestone=milestone)
    if request.method == "POST" and form.is_valid():
        extension = services.extension_grant(milestone=milestone, user=request.user, **form.cleaned_data)
        messages.success(request, _("%(ms)s may submit until %(due)s (Brussels time).")
                         % {"ms": extension.member_state, "due": deadline_words(extension.deadline)})
        return redirect("cycle_detail", pk=milestone.cycle_id)
    return _form_page(request, form, _("Grant an extension for %(m)s") % {"m": milestone.title}, "manage_home")


@access.admin
def extension_revoke(request, pk):
    """A confirmation page first (a GET changes nothing): revoking may make a member state overdue at once."""
    extension = get_object_or_404(Extension.objects.not_ended().select_related("milestone__cycle", "member_state"),
                                  pk=pk)
    if request.method == "POST":
        services.extension_revoke(extension=extension, user=request.user)
        messages.success(request, _("Extension of %(ms)s revoked.") % {"ms": extension.member_state})
        return redirect("cycle_detail", pk=extension.milestone.cycle_id)
    milestone, ms = extension.milestone, extension.member_state
    consequences = [
        _("%(ms)s's deadline for “%(m)s” (%(code)s) goes back from %(extended)s to %(due)s, the milestone's own "
          "deadline (Brussels time).") % {"ms": ms, "m": milestone.title, "code": milestone.code,
                                           "extended": deadline_words(extension.deadline),
                                           "due": deadline_words(milestone.deadline)}]
    if milestone.deadline.has_passed(timezone.now()):
        consequences.append(_("That deadline has passed: if %(ms)s has not submitted yet, it is overdue at once, "
                              "and its draft locks if the cycle locks drafts at the deadline.") % {"ms": ms})
    consequences += [
        _("The extension stays on record as revoked, with your name and the time."),
        _("Timeliness figures and coordinated reviews are recomputed against the milestone's deadline."),
    ]
    return render(request, "portal/confirm.html", {
        "title": _("Revoke the extension of %(ms)s for %(code)s?") % {"ms": ms, "code": milestone.code},
        "consequences": consequences,
        "action": _("Revoke the extension"), "danger": True, "back": ("cycle_detail", milestone.cycle_id)})


@access.admin
def cycle_close(request, pk):
    """A confirmation page first (a GET changes nothing): closing locks every member state's draft but those it
    is reopened for."""
    cycle = get_object_or_404(ReportingCycle, pk=pk, status=ReportingCycle.Status.OPEN)
    if request.method == "POST":
        services.cycle_close(cycle=cycle)
        messages.success(request, _("Cycle closed: drafts can no longer be edited."))
        return redirect("cycle_detail", pk=pk)
    reopened = list(cycle.reopened_member_states())
    locked = cycle.covered_member_states().exclude(pk__in=[m.pk for m in reopened]).count()
    consequences = [ngettext(
        "%(n)s member state will be locked: it can no longer edit or submit its draft.",
        "%(n)s member states will be locked: they can no longer edit or submit their drafts.", locked) % {"n": locked}]
    if reopened:
        consequences.append(ngettext(
            "%(names)s stays open: the cycle is reopened for it until you withdraw the reopening.",
            "%(names)s stay open: the cycle is reopened for them until you withdraw the reopenings.",
            len(reopened)) % {"names": ", ".join(m.name for m in reopened)})
    consequences.append(_("Nothing typed is lost; you can reopen the cycle for one member state, or open it again "
                          "for all."))
    return render(request, "portal/confirm.html", {
        "title": _("Close “%(title)s”?") % {"title": cycle.title}, "consequences": consequences,
        "action": _("Close the cycle"), "danger": True, "back": ("cycle_detail", cycle.pk)})


@require_POST
@access.admin
def cycle_open(request, pk):
    cycle = get_object_or_404(ReportingCycle, pk=pk)
    services.cycle_open(cycle=cycle)
    messages.success(request, _("Cycle open again."))
    return redirect("cycle_detail", pk=pk)


@require_POST
@access.admin
def reopening_grant(request, pk):
    cycle = get_object_or_404(ReportingCycle, pk=pk)
    form = ReopeningForm(request.POST, cycle=cycle)
    if form.is_valid():
        services.reopening_grant(cycle=cycle, user=request.user, **form.cleaned_data)
        messages.success(request, _("Reopened for %(ms)s.") % {"ms": form.cleaned_data["member_state"]})
        return redirect("cycle_detail", pk=pk)
    return _form_page(request, form, _("Reopen for one member state"), "manage_home")


@require_POST
@access.admin
def reopening_end(request, pk):
    reopening = get_object_or_404(Reopening.objects.not_ended(), pk=pk)
    services.reopening_end(reopening=reopening, user=request.user)
    messages.success(request, _("Reopening withdrawn."))
    return redirect("cycle_detail", pk=reopening.cycle_id)
