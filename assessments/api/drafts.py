"""The assessments API (/api/v1/): a filer's tool fills and submits its draft, reviewers read the versions.

Each view passes a gate of portal/access.py (`access`) and fetches through assessments/access.py, then calls the
same services as the pages: the same validation, the same merge and revision check, the same audit trail. How a
refusal reads: portal/api/errors.py. Locked drafts answer 403 with the type `...:locked` (the page's 403 for
"may see, may not change"); a read-only token 403 with `...:read_only_token`.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from assessments import services
from assessments.access import (
    get_assessment_for_user,
    get_draft_for_user,
    get_submittable_for_user,
    get_version_for_user,
)
from assessments.api import examples, schema
from assessments.filing.merge import MISSING
from assessments.forms import AttachmentForm
from assessments.models import AssessmentVersion, Attachment, NationalAssessment, Section, SectionState, Supplier
from assessments.questionnaire.data import questionnaire_data
from assessments.questionnaire.sections import SINGLE_PREFIXES, SectionForms, missing_answers, split_key
from portal.api.errors import Cursor, Problem
from portal.api.views import PortalAPIView
from portal.models import ReportingCycle

log = logging.getLogger(__name__)
# Lazy: translated when a refusal is written, in the language of whoever is refused.
LOCKED = gettext_lazy("The draft is locked (submitted, accepted, or its cycle closed for your member state): "
                      "nothing was changed. Ask an admin to reopen the cycle for your member state.")


def locked():
    return Problem(403, "locked", LOCKED)


def _cycles_for(user):
    """The cycles a filer files in now; every cycle they may see for the others (reviewers, admins)."""
    if user.is_authority_staff:
        return ReportingCycle.objects.current_for(user.member_state)
    return ReportingCycle.objects.visible_to(user)


def _version_summary(version):
    return {"number": version.number, "submitted_at": version.submitted_at,
            "submitted_by": version.submitted_by.get_username(), "sha256": version.sha256,
            "marking": version.marking, "certified_by": version.snapshot.get("certified_by", [])}


def _section_or_404(assessment, code):
    try:
        section = Section(code)
    except ValueError:
        raise Problem(404, "not_found", _("This questionnaire has no such section.")) from None
    if section not in assessment.cycle.questionnaire.sections or section == Section.ATTACHMENTS:
        raise Problem(404, "not_found", _("This questionnaire has no such section."))
    return section


class Cycles(PortalAPIView):
    access = "signed in"
    cursor_ordering = "-pk"

    @extend_schema(responses={200: schema.page_of(schema.CycleSerializer), **schema.refusals()},
                   summary="Cycles: for authority staff those they file in now, for reviewers every cycle",
                   examples=[examples.CYCLE_PAGE])
    def get(self, request):
        cycles = _cycles_for(request.user)
        paginator = Cursor()
        page = paginator.paginate_queryset(cycles, request, view=self)
        own = {}
        if request.user.is_authority_staff:
            own = dict(NationalAssessment.objects.filter(cycle__in=[c.pk for c in page],
                                                         member_state=request.user.member_state_id)
                       .values_list("cycle_id", "pk"))
        return paginator.get_paginated_response([
            {"id": c.pk, "title": c.title, "year": c.year, "status": c.status, "assessment": own.get(c.pk)}
            for c in page])


class Questionnaire(PortalAPIView):
    access = "signed in"

    @extend_schema(responses={200: schema.QuestionnaireSerializer, **schema.refusals()},
                   summary="The cycle's questionnaire as data: sections, items, fields, choices and rules",
                   examples=[examples.QUESTIONNAIRE])
    def get(self, request, cycle_pk):
        cycle = get_object_or_404(ReportingCycle.objects.visible_to(request.user), pk=cycle_pk)
        return Response({"cycle": cycle.pk, **questionnaire_data(services.questionnaire_for(cycle))})


class AssessmentStart(PortalAPIView):
    access = "authority staff"

    @extend_schema(request=schema.StartSerializer,
                   responses={200: schema.AssessmentSerializer, 201: schema.AssessmentSerializer,
                              **schema.refusals(400, 403)},
                   summary="Start your member state's draft for the cycle, empty or from an earlier version of "
                           "yours, or get the one started",
                   examples=[examples.START_EMPTY, examples.START_FROM, examples.STARTED, examples.ALREADY_STARTED])
    def post(self, request, cycle_pk):
        member_state = request.user.member_state
        cycle = get_object_or_404(ReportingCycle.objects.current_for(member_state), pk=cycle_pk)
        started = NationalAssessment.objects.filter(cycle=cycle, member_state=member_state).first()
        data = schema.StartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        source = None
        if not started and data.validated_data.get("start_from") is not None:
            # The page's rule: only the member state's own earlier versions (services.earlier_versions).
            sources = {v.pk: v for v in services.earlier_versions(member_state, cycle)}
            source = sources.get(data.validated_data["start_from"])
            if source is None:
                raise Problem(400, "invalid", _("Correct the fields named in “errors”."), errors={"start_from": [
                    _("Choose one of your member state's earlier versions, or to start empty.")]})
        assessment = started or services.assessment_start(cycle=cycle, member_state=member_state, user=request.user,
                                                          source=source)
        assessment = get_draft_for_user(request.user, assessment.pk)
        return Response(assessment_body(assessment, request.user),
                        status=status.HTTP_200_OK if started else status.HTTP_201_CREATED)


def assessment_body(assessment, user):
    missing = services.assessment_missing(assessment)
    states = dict(SectionState.objects.filter(assessment=assessment).values_list("section", "revision"))
    versions = assessment.versions.visible_to(user).select_related("submitted_by").order_by("number")
    return {
        "id": assessment.pk, "cycle": assessment.cycle_id, "member_state": assessment.member_state.eu_code,
        "status": assessment.status, "editable": assessment.is_editable_by(user),
        "may_submit": assessment.may_submit(user), "marking": assessment.marking,
        "sections": [{"code": section.value, "title": str(section.label), "revision": states.get(section, 0),
                      "missing": len(items)} for section, items in missing.items() if section != Section.ATTACHMENTS],
        "versions": [_version_summary(v) for v in versions],
    }


class Assessment(PortalAPIView):
    access = "signed in"

    @extend_schema(responses={200: schema.AssessmentSerializer, **schema.refusals()},
                   summary="The draft: its status, each section's revision and what is missing, its versions",
                   examples=[examples.ASSESSMENT])
    def get(self, request, pk):
        return Response(assessment_body(get_draft_for_user(request.user, pk), request.user))

    @extend_schema(request=schema.DraftMarkingSerializer, responses={200: schema.AssessmentSerializer,
                                                                     **schema.refusals(400, 403)},
                   summary="Change the draft's handling marking (its member state's staff, while it is editable)",
                   description="As the overview page's *Change the marking*, in the audit trail. A version gets the "
                               "draft's marking unless the lead reporter chooses another at submission.",
                   examples=[examples.DRAFT_MARKING, examples.ASSESSMENT])
    def patch(self, request, pk):
        assessment = writable_draft(request.user, pk)
        data = schema.DraftMarkingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.draft_marking_change(assessment=assessment, user=request.user, marking=data.validated_data["marking"])
        return Response(assessment_body(get_draft_for_user(request.user, pk), request.user))


def section_body(assessment, section, state=None):
    state = state or SectionState.objects.get(assessment=assessment, section=section)
    forms = SectionForms(section, assessment, assessment.cycle.questionnaire)
    return {"code": section.value, "revision": state.revision, "values": forms.values(),
            "missing": [{"question": str(m.question), "field": str(m.field_label)}
                        for m in missing_answers(section, assessment, assessment.cycle.questionnaire)],
            "carried_over": sorted(state.carried.unconfirmed().values_list("key", flat=True)),
            "marking": assessment.marking}  # the draft's: what the section shows is the draft's


def unknown_keys(section, assessment, values):
    """{key: [message]} for keys the section has no field for (the pages would drop them: an API says so)."""
    forms = SectionForms(section, assessment, assessment.cycle.questionnaire)
    fields = forms.fields()
    suppliers = None
    errors = {}
    for key in values:
        prefix, item, _name = split_key(key)
        # A catalogue item's answers exist for the items the questionnaire asks; a supplier's for any supplier.
        known = forms.field_for(key, fields) is not None if prefix == "suppliers" else key in fields
        if not known or (prefix not in SINGLE_PREFIXES and not item):
            errors[key] = [_("This section has no such answer.")]
        elif prefix == "suppliers":
            if suppliers is None:
                suppliers = set(Supplier.objects.values_list("name", flat=True))
            if item not in suppliers:
                errors[key] = [_("Unknown supplier: use a name the questionnaire lists.")]
    return errors


class DraftSection(PortalAPIView):
    access = "signed in"

    @extend_schema(responses={200: schema.SectionSerializer, **schema.refusals()},
                   summary="One section of the draft: its revision and every answer by stable key",
                   examples=[examples.SECTION])
    def get(self, request, pk, code):
        assessment = get_draft_for_user(request.user, pk)
        return Response(section_body(assessment, _section_or_404(assessment, code)))

    @extend_schema(
        request=schema.SectionWriteSerializer,
        responses={200: schema.SectionSavedSerializer, **schema.refusals(400, 403, 409)},
        summary="Change answers of the section, merged field by field from the revision you read",
        description=("The same merge as the page: fields a colleague changed since `revision` are merged when you "
                     "did not change them too; when you both did, 409 with `revision` (now), and `conflicts` "
                     "({key: {base, theirs, mine}}); resend with the current revision and the values you keep. "
                     "Invalid input is refused row by row (field by field for the scope; only the shares a "
                     "segment's total names): the rest is saved, and the answer is 200 with the section as saved, "
                     "`refused` (the keys not saved) and `errors` by stable key, as in a refusal. When nothing "
                     "can be saved, 400 with `errors`. Refused input is kept as your unsaved input, as on the page; "
                     "send those keys again, corrected, from the new `revision`."),
        examples=[examples.RATE_R4, examples.SECTION, examples.PLAN_SM01_SM02, examples.SAVED_EXCEPT_SM02,
                  examples.INVALID, examples.CONFLICT])
    def patch(self, request, pk, code):
        assessment = writable_draft(request.user, pk)
        section = _section_or_404(assessment, code)
        data = schema.SectionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {key: "" if value is None else value for key, value in data.validated_data["values"].items()}
        errors = unknown_keys(section, assessment, values)
        if errors:
            raise Problem(400, "invalid", _("Correct the fields named in “errors”."), errors=errors)
        result = services.section_save(assessment=assessment, section=section, mine=values, user=request.user,
                                       base_revision=data.validated_data["revision"])
        if result.outcome is services.Outcome.LOCKED:
            raise locked()
        if result.outcome is services.Outcome.CONFLICT:
            raise Problem(409, "conflict", _("A colleague changed some of the same fields since your revision."),
                          revision=result.state.revision,
                          conflicts={key: {side: None if value is MISSING else value  # null: no value known
                                           for side, value in zip(("base", "theirs", "mine"), values, strict=True)}
                                     for key, values in result.conflicts.items()})
        if result.outcome is services.Outcome.INVALID:
            raise Problem(400, "invalid", _("Correct the fields named in “errors”."), errors=result.key_errors)
        body = section_body(assessment, section, result.state)
        if result.outcome is services.Outcome.PARTIAL:
            # Saved, except these: a success (the revision moved on), with the refusal's members for the rest.
            body |= {"detail": _("Saved, except the fields named in “refused”: correct those named in “errors” "
                                 "and send them again. They are kept as your unsaved input."),
                     "refused": sorted(result.refused), "errors": result.key_errors}
        return Response(body)


def attachment_body(attachment):
    return {"id": attachment.pk, "name": attachment.name, "content_type": attachment.content_type,
            "size": attachment.size, "sha256": attachment.sha256, "uploaded_at": attachment.uploaded_at,
            "uploaded_by": attachment.uploaded_by.get_username(), "marking": attachment.carried_marking}


class Attachments(PortalAPIView):
    access = "signed in"
    cursor_ordering = "-pk"
    parser_classes = [MultiPartParser]

    @extend_schema(responses={200: schema.page_of(schema.AttachmentSerializer), **schema.refusals()},
                   summary="The draft's attachments", examples=[examples.ATTACHMENT_PAGE])
    def get(self, request, pk):
        assessment = get_draft_for_user(request.user, pk)
        paginator = Cursor()
        page = paginator.paginate_queryset(
            Attachment.objects.filter(assessment=assessment).in_draft().select_related("uploaded_by", "assessment"),
            request,
            view=self)
        return paginator.get_paginated_response([attachment_body(a) for a in page])

    @extend_schema(request={"multipart/form-data": schema.AttachmentUploadSerializer},
                   responses={201: schema.AttachmentSerializer, **schema.refusals(400, 403, 503)},
                   summary="Attach a document to the draft",
                   description=("Checked as on the page: its type from its content, its size, no classification "
                                "marking, the virus scan. The same content twice is refused (400), as on the page."),
                   examples=[examples.ATTACHMENT])
    def post(self, request, pk):
        assessment = writable_draft(request.user, pk)
        form = AttachmentForm(request.POST, request.FILES, assessment=assessment)
        if not form.is_valid():
            status_code = 503 if form.has_error("file", "scanner_unavailable") else 400
            raise Problem(status_code, "invalid" if status_code == 400 else "unavailable",
                          _("Correct the fields named in “errors”.") if status_code == 400 else
                          _("The virus scanner could not check this file; try again later. Nothing was attached."),
                          errors={name: list(messages) for name, messages in form.errors.items()})
        upload = form.cleaned_data["file"]
        try:
            attachment = services.attachment_add(assessment=assessment, upload=upload, user=request.user,
                                                 marking=form.cleaned_data["marking"])
        except services.MarkingRefused as refused:
            raise Problem(400, "invalid", _("Correct the fields named in “errors”."),
                          errors={refused.field: [refused.message]}) from None
        except services.AlreadyAttached as already:
            raise Problem(400, "invalid", _("Correct the fields named in “errors”."), errors={"file": [
                _("This file is attached already, as “%(name)s”.") % {"name": already.attachment.name}]}) from None
        except services.AssessmentLocked:
            raise locked() from None
        except OSError:
            log.exception("attachment of assessment %s could not be stored", assessment.pk)
            raise Problem(503, "unavailable", _("The portal's storage refused the file: nothing was attached. "
                                                "Please try again.")) from None
        return Response(attachment_body(attachment), status=status.HTTP_201_CREATED)


def writable_draft(user, pk):
    """The draft for a write: 404 as for a read, 403 `locked` when it is locked, 403 when the user only reads it."""
    try:
        return get_draft_for_user(user, pk, write=True)
    except PermissionDenied:
        assessment = get_draft_for_user(user, pk)
        raise (locked() if not assessment.is_editable else PermissionDenied) from None


class StillHolds(PortalAPIView):
    access = "signed in"  # then writable_draft: the member state's own staff, while the draft is editable

    @extend_schema(request=schema.StillHoldsSerializer,
                   responses={200: schema.SectionSerializer, **schema.refusals(403)},
                   summary="Confirm that carried-over answers still hold: one question's, or the whole section's",
                   description="As the page's “This still holds”: `question` is an item key (R4, SM03, a "
                               "supplier's name), \"scope\", or absent for every question of the section.",
                   examples=[examples.STILL_HOLDS, examples.MEASURES_CONFIRMED])
    def post(self, request, pk, code):
        assessment = writable_draft(request.user, pk)
        section = _section_or_404(assessment, code)
        data = schema.StillHoldsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = data.validated_data.get("question")
        item = None if not question else "" if question == "scope" else question
        try:
            services.carried_confirm(assessment=assessment, user=request.user, section=section, item=item)
        except services.AssessmentLocked:
            raise locked() from None
        return Response(section_body(assessment, section))


class Submit(PortalAPIView):
    access = "signed in"  # then get_submittable_for_user, as the page: 404 for others, 403 for its own reporters

    @extend_schema(request=schema.SubmitSerializer,
                   responses={201: schema.VersionSerializer, 202: schema.CertificationWaitingSerializer,
                              **schema.refusals(400, 403)},
                   summary="Submit the draft as a new version (lead reporters)",
                   description=("`certify` is required. 400 with `missing` ({section: [...]}) when answers are "
                                "missing, or `errors` when the certification, unsaved input or carried-over answers "
                                "need your confirmation, as on the page. 202 when the cycle asks two certifiers and "
                                "yours is the first: nothing is submitted until a second lead reporter certifies "
                                "the same `content_sha256`."),
                   examples=[examples.SUBMIT, examples.SUBMIT_RED, examples.VERSION, examples.CERTIFICATION_WAITING,
                             examples.INCOMPLETE])
    def post(self, request, pk):
        try:
            assessment = get_submittable_for_user(request.user, pk)
        except PermissionDenied:
            assessment = get_draft_for_user(request.user, pk)
            raise (locked() if not assessment.is_editable else PermissionDenied) from None
        data = schema.SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:  # the service checks every precondition; this says which, as the page does
            version = services.assessment_submit(assessment=assessment, user=request.user,
                                                 certify=data.validated_data["certify"],
                                                 confirm_unsaved=data.validated_data["confirm_unsaved"],
                                                 confirm_carried=data.validated_data["confirm_carried"],
                                                 marking=data.validated_data.get("marking"),
                                                 shared_with=_reviewers_named(data.validated_data["shared_with"]))
        except services.MarkingRefused as refusal:
            raise Problem(400, "invalid", _("Correct the fields named in “errors”."),
                          errors={refusal.field: [refusal.message]}) from None
        except services.AssessmentLocked:
            raise locked() from None
        except services.CertificationWaiting as waiting:
            return Response({"detail": str(waiting), "content_sha256": waiting.certification.content_sha256},
                            status=status.HTTP_202_ACCEPTED)
        except services.ConfirmationMissing as refusal:
            raise Problem(400, "invalid", _("Correct the fields named in “errors”."),
                          errors=_refused_confirmations(refusal.needed)) from None
        except services.SubmissionRefused as refusal:
            missing = {section.value: [{"question": str(m.question), "field": str(m.field_label)} for m in items]
                       for section, items in refusal.missing.items()}
            raise Problem(400, "incomplete", _("The assessment is not complete."), missing=missing) from None
        return Response(version_body(version), status=status.HTTP_201_CREATED)


def _reviewers_named(usernames):
    """The reviewers a TLP:RED version is shared with, by user name (the service refuses anyone else)."""
    found = {user.get_username(): user for user in services.reviewers().filter(username__in=usernames)}
    unknown = sorted(set(usernames) - set(found))
    if unknown:
        raise Problem(400, "invalid", _("Correct the fields named in “errors”."), errors={"shared_with": [
            _("Not a reviewer of the portal: %(names)s.") % {"names": ", ".join(unknown)}]})
    return list(found.values())


def _refused_confirmations(needed):
    """{field: [message]} for each confirmation the service found missing."""
    texts = {
        services.UNSAVED: ("confirm_unsaved", _("Confirm that your unsaved input will not be part of this version.")),
        services.CARRIED: ("confirm_carried", _("Confirm that the carried-over answers still hold.")),
        services.CERTIFY: ("certify", _("Certify that the assessment is complete and accurate.")),
    }
    return dict(sorted((texts[name][0], [texts[name][1]]) for name in needed))


def version_body(version):
    return {**_version_summary(version), "assessment": version.assessment_id,
            "member_state": version.snapshot.get("member_state", ""), "cycle": version.assessment.cycle_id,
            "snapshot": version.snapshot}


class Versions(PortalAPIView):
    access = "signed in"
    cursor_ordering = "-number"

    @extend_schema(responses={200: schema.page_of(schema.VersionSummarySerializer), **schema.refusals()},
                   summary="The submitted versions of an assessment", operation_id="assessments_versions_list",
                   examples=[examples.VERSION_SUMMARY_PAGE])
    def get(self, request, pk):
        assessment = get_assessment_for_user(request.user, pk)
        paginator = Cursor()
        page = paginator.paginate_queryset(
            AssessmentVersion.objects.visible_to(request.user).filter(assessment=assessment)
            .select_related("submitted_by"), request, view=self)
        return paginator.get_paginated_response([_version_summary(v) for v in page])


class Version(PortalAPIView):
    access = "signed in"

    @extend_schema(responses={200: schema.VersionSerializer, **schema.refusals()},
                   summary="One version: its answers as frozen, with their SHA-256",
                   operation_id="assessments_version_retrieve", examples=[examples.VERSION])
    def get(self, request, pk, number):
        return Response(version_body(get_version_for_user(request.user, pk, number)))


class Submissions(PortalAPIView):
    access = "reviewer"
    cursor_ordering = "-pk"

    @extend_schema(responses={200: schema.page_of(schema.VersionSerializer),
                              **schema.refusals()},
                   summary="Every submitted version of a cycle (reviewers), newest first",
                   examples=[examples.SUBMISSIONS_PAGE])
    def get(self, request, cycle_pk):
        cycle = get_object_or_404(ReportingCycle.objects.visible_to(request.user), pk=cycle_pk)
        paginator = Cursor()
        page = paginator.paginate_queryset(
            AssessmentVersion.objects.visible_to(request.user).filter(assessment__cycle=cycle)
            .select_related("submitted_by", "assessment"), request, view=self)
        return paginator.get_paginated_response([version_body(v) for v in page])
