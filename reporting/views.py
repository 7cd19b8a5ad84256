import datetime

from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.access import reviewer_required
from portal.models import BRUSSELS, END_OF_DAY, ReportingCycle
from reporting.timeliness import timeliness


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("Figures as of (end of day, Brussels time)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))


@reviewer_required
def dashboard(request, cycle_pk):
    """Completeness and timeliness of a cycle's national submissions, now or as of a past day."""
    cycle = get_object_or_404(ReportingCycle, pk=cycle_pk)
    form = AsOfForm(request.GET or None)
    now = timezone.now()
    if form.is_valid() and form.cleaned_data["as_of"]:
        now = min(now, datetime.datetime.combine(form.cleaned_data["as_of"], END_OF_DAY, tzinfo=BRUSSELS))
    return render(request, "reporting/dashboard.html", {"report": timeliness(cycle, now=now), "form": form})
