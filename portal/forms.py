"""Forms of the portal's own pages: cycles, milestones, extensions, reopening, team, access requests, account; the
second-factor step."""

import zoneinfo

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django import forms
from django.conf import settings
from django.core import validators
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from portal import throttling
from portal.accounts import client_address
from portal.deadlines import Deadline
from portal.models import (
    REQUESTABLE_ROLES,
    AccessRequest,
    ApiToken,
    Authority,
    Extension,
    MemberState,
    Milestone,
    Reopening,
    ReportingCycle,
    TokenScope,
    User,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": 1}, format="%H:%M:%S")


class CycleForm(forms.ModelForm):
    """A cycle's own settings. Which member states it asks is edited on its coverage page, once it exists."""

    class Meta:
        model = ReportingCycle
        fields = ["title", "year", "starts_on", "lock_on_deadline", "reminder_days", "certifiers_required"]
        widgets = {"starts_on": DATE}
        help_texts = {"starts_on": _("The reference date: a member state is asked if it is a member on this day.")}


class NewCycleForm(CycleForm):
    member_states = forms.ModelMultipleChoiceField(
        label=_("Member states asked"), queryset=MemberState.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Left empty, the member states of the Union on the start date."))

    def clean(self):
        data = super().clean()
        starts_on = data.get("starts_on")
        if starts_on is None:
            return data
        chosen = data.get("member_states")
        if not chosen:
            data["member_states"] = list(MemberState.objects.members_on(starts_on))
            return data
        outside = [m.name for m in chosen if not m.is_member_on(starts_on)]
        if outside:
            self.add_error("member_states", _("Not a member of the Union on %(day)s, so it cannot be asked: "
                                              "%(names)s.") % {"day": formats.date_format(starts_on),
                                                               "names": ", ".join(outside)})
        return data


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["code", "title", "description", "scope", "due_date", "due_time", "met_on", "tracks_submission"]
        widgets = {"due_date": DATE, "due_time": TIME, "met_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"met_on": _("For EU-level steps: the day it was actually met, which may differ from the due "
                                  "date.")}

    def clean(self):
        data = super().clean()
        if data.get("met_on") and data.get("scope") != Milestone.Scope.EU:
            self.add_error("met_on", _("Only EU-level steps have a date met; a member state's is its submission."))
        if data.get("tracks_submission") and data.get("scope") != Milestone.Scope.MEMBER_STATE:
            self.add_error("tracks_submission", _("Only a milestone of each member state is met by a submission."))
        # The database refuses these too; the form says so beside the field instead of failing.
        others = Milestone.objects.filter(cycle_id=self.instance.cycle_id).exclude(pk=self.instance.pk)
        # Codes are compared as people read them: "nra-submit" is NRA-SUBMIT again.
        if data.get("code") and others.filter(code__iexact=data["code"]).exists():
            self.add_error("code", _("This cycle already has a milestone with this code."))
        if data.get("tracks_submission") and others.filter(tracks_submission=True).exists():
            self.add_error("tracks_submission", _("Another milestone of this cycle is already met by the national "
                                                  "submission; a cycle has one."))
        return data


class ExtensionForm(forms.ModelForm):
    class Meta:
        model = Extension
        fields = ["member_state", "due_date", "due_time", "reason"]
        widgets = {"due_date": DATE, "due_time": TIME, "reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, milestone, **kwargs):
        super().__init__(*args, **kwargs)
        self.milestone = milestone
        self.fields["member_state"].queryset = milestone.cycle.covered_member_states()

    def clean(self):
        data = super().clean()
        if data.get("due_date"):
            if Deadline(data["due_date"], data.get("due_time")).ends_at <= self.milestone.deadline.ends_at:
                self.add_error("due_date", _("An extension must end after the milestone's own deadline."))
        return data


class ReopeningForm(forms.ModelForm):
    class Meta:
        model = Reopening
        fields = ["member_state", "until", "reason"]
        widgets = {"until": forms.DateTimeInput(attrs={"type": "datetime-local"}),
                   "reason": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"until": _("Brussels time. Leave empty to keep it open until you close it again.")}

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_state"].queryset = cycle.covered_member_states()


class ReporterForm(forms.ModelForm):
    """A new reporter: the user name is made from the name (services.username_for), never chosen here."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = True
        self.fields["email"].help_text = _("They receive a link to set their password here; it works once, for "
                                           "three days, and stops working if you deactivate them.")


class AuthorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.member_state.name}: {obj.name}"


class AccessRequestForm(forms.ModelForm):
    """What a person EU Login knows asks for. Who they are is not asked: it comes from EU Login (the session)."""

    authority = AuthorityChoiceField(label=_("The national authority you work for"),
                                     queryset=Authority.objects.select_related("member_state"))
    role = forms.ChoiceField(label=_("The role you ask for"), choices=REQUESTABLE_ROLES, widget=forms.RadioSelect,
                             help_text=_("Lead reporters submit their member state's assessment; reporters prepare "
                                         "it."))

    class Meta:
        model = AccessRequest
        fields = ["authority", "role", "why"]
        labels = {"why": _("Why you need access")}
        widgets = {"why": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"why": _("A sentence or two for whoever decides: your work, and who at your authority knows "
                               "you.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Authorities of today's member states: nobody files any more for one that left the Union.
        members = MemberState.objects.members_on(timezone.localdate())
        self.fields["authority"].queryset = Authority.objects.filter(member_state__in=members).select_related(
            "member_state")


class AccessDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
                                 widget=forms.HiddenInput)
    refusal_reason = forms.CharField(label=_("Reason for a refusal"), required=False, max_length=1000,
                                     help_text=_("The person asking reads it in the email that tells them."))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("refusal_reason", "").strip():
            self.add_error("refusal_reason", _("Say why the request is refused: the person asking is told."))
        return data


class PreferencesForm(forms.ModelForm):
    """The user's language and time zone."""

    language = forms.ChoiceField(label=_("Language"), required=False,
                                 help_text=_("Of your pages, emails, PDFs and workbooks."))
    time_zone = forms.ChoiceField(label=_("Your time zone"),
                                  choices=[(z, z) for z in sorted(zoneinfo.available_timezones())],
                                  help_text=_("Deadlines are always shown in Brussels time as well."))

    class Meta:
        model = User
        fields = ["language", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Your browser's language")), *settings.LANGUAGES]


class ActivityFilterForm(forms.Form):
    """The Activity page's filters: who, whose data, what kind of action, when (Brussels days, inclusive)."""

    user = forms.CharField(label=_("User name"), required=False,
                           help_text=_("Who acted, or whose sign-in it was; part of the name is enough."))
    member_state = forms.ModelChoiceField(label=_("Member state"), queryset=MemberState.objects.all(),
                                          required=False, to_field_name="eu_code", empty_label=_("Any"))
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args, families=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Any")), *families]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            self.add_error("until", _("The end is before the start."))
        return cleaned


class UnlockForm(forms.Form):
    username = forms.CharField(label=_("User name"), required=False)
    ip_address = forms.GenericIPAddressField(label=_("Address"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("username") and not cleaned.get("ip_address"):
            raise forms.ValidationError(_("Give a user name, an address, or both."))
        return cleaned


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What the token is for, such as “risk register export”."))
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, initial=90,
                              help_text=_("The token stops working after this many days."))

    def __init__(self, *args, user, max_days, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["days"].max_value = max_days
        self.fields["days"].validators.append(validators.MaxValueValidator(max_days))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if ApiToken.objects.filter(user=self.user, name=name, revoked_at__isnull=True).exists():
            raise forms.ValidationError(_("You already have a token of that name."))
        return name


class RefusedUnchecked:
    """allauth's second-factor forms, asking the sign-in's rule first as the password step does: while the user name
    is locked at this address or slowed down, the code is not even checked, and django-axes' middleware answers
    with the lockout page (429, how long to wait)."""

    def clean_code(self):
        request, username = context.request, self.user.get_username().lower()
        if throttling.refusal(username=username, address=client_address(request), now=timezone.now()):
            request.axes_locked_out, request.axes_credentials = True, {"username": username}
            raise forms.ValidationError(_("Too many failed attempts: wait before the next one."), code="refused")
        return super().clean_code()


class SecondFactorForm(RefusedUnchecked, AuthenticateForm):
    """The code asked after the password (MFA_FORMS["authenticate"])."""


class SecondFactorAgainForm(RefusedUnchecked, ReauthenticateForm):
    """The code asked again of a signed-in user before a sensitive change (MFA_FORMS["reauthenticate"])."""
