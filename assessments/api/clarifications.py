"""Clarification points through the API (/api/v1/): reviewers raise, send, resolve and withdraw them; the member
state's staff read the sent ones and answer; the pages' rules (assessments/views/clarifications.py), through the same
fetchers (assessments/access.py) and services.

Who sees a point is `ClarificationPoint.objects.visible_to`: unsent points are reviewers' work, sent ones belong with
the submitted version (its member state's staff, reviewers, admins). Sending returns the assessment, an event of the
audit trail as on the page; each answer is a message of the point's thread, with its author and time.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from assessments import services
from assessments.access import (
    get_assessment_for_user,
    get_point_for_user,
    get_point_to_answer,
    get_point_to_review,
    get_submitted_for_review,
)
from assessments.api import examples
from assessments.api.schema import page_of, refusals
from assessments.forms import AnswerForm, AskForm
from assessments.models import ClarificationPoint, Section
from assessments.questionnaire.questions import Questions
from portal.api.errors import Cursor, Problem
from portal.api.views import PortalAPIView
from portal.markings import Marking

INVALID = gettext_lazy("Correct the fields named in “errors”.")


class MessageSerializer(serializers.Serializer):
    author = serializers.CharField()
    text = serializers.CharField()
    at = serializers.DateTimeField()


class PointSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    assessment = serializers.IntegerField()
    version = serializers.IntegerField(help_text="The number of the version the question is about.")
    section = serializers.CharField()
    item = serializers.CharField(allow_blank=True, help_text="The question's item (R4, SM03, a supplier's name); "
                                                             "\"\" for the whole section.")
    field = serializers.CharField(allow_blank=True, help_text="One field of the item (likelihood...), or \"\".")
    message = serializers.CharField()
    status = serializers.ChoiceField(["draft", "open", "answered", "resolved"])
    raised_by = serializers.CharField()
    raised_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    marking = serializers.ChoiceField(choices=Marking.choices, help_text=(
        "The thread's handling marking (FIRST TLP 2.0), its replies' too: the stricter of the one it was opened "
        "with and its version's."))
    messages = MessageSerializer(many=True, help_text="The thread: the member state's answers, the reviewer's "
                                                      "follow-ups, oldest first.")
    marking = serializers.ChoiceField(choices=Marking.choices, help_text="The handling marking (FIRST TLP 2.0) the "
                                                                         "thread is read under: its version's.")


class RaiseSerializer(serializers.Serializer):
    section = serializers.ChoiceField([s.value for s in Section if s != Section.ATTACHMENTS])
    item = serializers.CharField(required=False, allow_blank=True, max_length=200, default="",
                                 help_text="An item of the version's answers (R4, SM03, a supplier's name); "
                                           "empty or left out for the whole section (the scope has none).")
    field = serializers.CharField(required=False, allow_blank=True, max_length=40, default="",
                                  help_text="One field of the item's part (likelihood, status...); empty: the whole "
                                            "question.")
    message = serializers.CharField(max_length=5000, help_text="What needs clarifying.")
    marking = serializers.ChoiceField(choices=Marking.choices, required=False, help_text=(
        "The thread's handling marking: the version's when left out, the same or stricter; TLP:RED only if the "
        "version names you (400 else, in `errors.marking`)."))


class SendSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="",
                                    help_text="A word to the member state with the questions.")


class SentSerializer(serializers.Serializer):
    sent = serializers.IntegerField(help_text="How many questions were sent (0: there was none to send).")
    status = serializers.CharField(help_text="The assessment's status now: returned once questions are sent.")


class AnswerSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, help_text="Your answer to the question.")


def point_body(point):
    return {"id": point.pk, "assessment": point.assessment_id, "version": point.version.number,
            "section": point.section, "item": point.item, "field": point.field, "message": point.message,
            "status": point.status, "raised_by": point.raised_by.get_username(), "raised_at": point.raised_at,
            "sent_at": point.sent_at, "resolved_at": point.resolved_at, "marking": point.carried_marking,
            "messages": [{"author": m.author.get_username(), "text": m.text, "at": m.at} for m in point.messages.all()]}


def _points(user):
    return (ClarificationPoint.objects.visible_to(user)
            .select_related("version", "raised_by").prefetch_related("messages__author"))


def _reread(point, user):
    return _points(user).get(pk=point.pk)


class Points(PortalAPIView):
    access = "signed in"  # then the point's readers (list), reviewers (raise), as the version page
    cursor_ordering = "pk"

    @extend_schema(responses={200: page_of(PointSerializer), **refusals()}, operation_id="assessments_points_list",
                   summary="The clarification points of an assessment you may read, oldest first, with their threads",
                   description="Reviewers and admins see every point, unsent ones too; the member state's staff "
                               "the sent ones. Pages of 50 (`next`).",
                   examples=[examples.POINT_PAGE])
    def get(self, request, pk):
        assessment = get_assessment_for_user(request.user, pk)
        paginator = Cursor()
        page = paginator.paginate_queryset(_points(request.user).filter(assessment=assessment), request, view=self)
        return paginator.get_paginated_response([point_body(point) for point in page])

    @extend_schema(request=RaiseSerializer, responses={201: PointSerializer, **refusals(400, 403)},
                   operation_id="assessments_points_create",
                   summary="Raise a question on the latest submitted version (reviewers); kept unsent until you send",
                   description="As the version page's form: the question must be one of the version's answers "
                               "(400 else, beside `item`), the field one of that question's. 403 when the "
                               "assessment is not awaiting review (not submitted, or returned already).",
                   examples=[examples.RAISE, examples.POINT_RAISED])
    def post(self, request, pk):
        self.gate("reviewer")
        assessment = get_submitted_for_review(request.user, pk)
        data = RaiseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        asked = data.validated_data
        version = assessment.versions.latest()
        form = AskForm({"question": f"{asked['section']}|{asked['item']}", "field": asked["field"],
                        "message": asked["message"], "marking": asked.get("marking", "")},
                       questions=Questions(version.snapshot["answers"]), version=version, user=request.user)
        if not form.is_valid():
            renamed = {"question": "item" if asked["item"] else "section"}
            raise Problem(400, "invalid", INVALID, errors={renamed.get(name, name): list(messages)
                                                           for name, messages in form.errors.items()})
        section, item = form.cleaned_data["question"].split("|", 1)
        try:
            point = services.clarification_draft(assessment=assessment, user=request.user, section=section,
                                                 item=item, field=form.cleaned_data["field"],
                                                 message=form.cleaned_data["message"],
                                                 marking=form.cleaned_data["marking"])
        except services.MarkingRefused as refused:
            raise Problem(400, "invalid", INVALID, errors={refused.field: [refused.message]}) from None
        except services.AssessmentLocked:
            raise Problem(403, "permission_denied", _("The assessment is not awaiting review.")) from None
        return Response(point_body(_reread(point, request.user)), status=status.HTTP_201_CREATED)


class Send(PortalAPIView):
    access = "reviewer"

    @extend_schema(request=SendSerializer, responses={200: SentSerializer, **refusals(400, 403)},
                   summary="Send your unsent questions: the assessment is returned to its member state (reviewers)",
                   description="As the version page's *Send*: the lead reporters are told by email, the return is in "
                               "the audit trail. Nothing to send: `sent` is 0 and nothing changes.",
                   examples=[examples.SEND, examples.SENT])
    def post(self, request, pk):
        assessment = get_submitted_for_review(request.user, pk)
        data = SendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            sent = services.clarifications_send(assessment=assessment, user=request.user,
                                                comment=data.validated_data["comment"])
        except services.AssessmentLocked:
            raise Problem(403, "permission_denied", _("The assessment is not awaiting review.")) from None
        assessment.refresh_from_db(fields=["status"])
        return Response({"sent": sent, "status": assessment.status})


class Point(PortalAPIView):
    access = "signed in"  # then get_point_for_user (read), get_point_to_review (withdraw), as the pages

    @extend_schema(responses={200: PointSerializer, **refusals()}, operation_id="assessments_point_retrieve",
                   summary="One clarification point and its thread", examples=[examples.POINT_ANSWERED])
    def get(self, request, pk, point_pk):
        return Response(point_body(_reread(get_point_for_user(request.user, pk, point_pk), request.user)))

    @extend_schema(responses={204: None, **refusals(403)}, operation_id="assessments_point_destroy",
                   summary="Withdraw a question you have not sent yet (reviewers)",
                   description="A sent question is the member state's to answer: it is resolved, never withdrawn "
                               "(403).")
    def delete(self, request, pk, point_pk):
        point = get_point_to_review(request.user, pk, point_pk)
        if not point.is_draft:
            raise Problem(403, "already_sent", _("This question was sent: resolve it instead."))
        services.clarification_withdraw(point=point)
        return Response(status=status.HTTP_204_NO_CONTENT)


class Answers(PortalAPIView):
    access = "signed in"  # then get_point_to_answer: the member state's staff, while the point is open

    @extend_schema(request=AnswerSerializer, responses={201: PointSerializer, **refusals(400, 403)},
                   summary="Answer a question (the member state's staff): the reviewer who raised it is told",
                   description="As the section page's answer: only while the point is open or answered (403 once "
                               "resolved); reviewers and admins read the thread but do not answer here (403).",
                   examples=[examples.ANSWER, examples.POINT_ANSWERED])
    def post(self, request, pk, point_pk):
        point = get_point_to_answer(request.user, pk, point_pk)
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        form = AnswerForm({"text": data.validated_data["text"]})
        if not form.is_valid():
            raise Problem(400, "invalid", INVALID, errors={name: list(m) for name, m in form.errors.items()})
        try:
            services.clarification_answer(point=point, user=request.user, text=form.cleaned_data["text"])
        except services.AssessmentLocked:
            raise Problem(403, "permission_denied", _("This question is resolved.")) from None
        return Response(point_body(_reread(point, request.user)), status=status.HTTP_201_CREATED)


class Resolve(PortalAPIView):
    access = "reviewer"

    @extend_schema(request=None, responses={200: PointSerializer, **refusals(403)},
                   summary="Resolve a sent question (reviewers); resolving it again changes nothing",
                   description="An unsent question is withdrawn, not resolved (403).",
                   examples=[examples.POINT_RESOLVED])
    def post(self, request, pk, point_pk):
        point = get_point_to_review(request.user, pk, point_pk)
        if point.is_draft:
            raise Problem(403, "not_sent", _("This question was not sent: withdraw it instead."))
        services.clarification_resolve(point=point, user=request.user)
        return Response(point_body(_reread(point, request.user)))
