"""The reporting API (/api/v1/): the timeliness figures of a cycle as of a day, for reviewers.

The same rule as the dashboard page (reporting/views/dashboard.py): "as of 19 July" is the end of that day in
Brussels, never later than now; who is expected and whether each was on time come from assessments.population.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from portal.api_errors import Problem, refusals
from portal.api_views import PortalAPIView
from portal.deadlines import Deadline
from reporting.access import get_cycle_for_user
from reporting.forms import AsOfForm
from reporting.timeliness import dashboard


class FiguresSerializer(serializers.Serializer):
    expected = serializers.IntegerField()
    submitted = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missing = serializers.IntegerField(help_text="Not submitted, overdue.")
    not_due = serializers.IntegerField()


class MemberTimelinessSerializer(serializers.Serializer):
    member_state = serializers.CharField()
    state = serializers.ChoiceField(["on_time", "late", "overdue", "not_due", "extended"])
    deadline = serializers.DateTimeField(allow_null=True, help_text="The member state's effective deadline.")
    first_submitted_at = serializers.DateTimeField(allow_null=True)
    latest_version = serializers.IntegerField(allow_null=True, help_text="The latest version submitted by then.")
    assessment = serializers.IntegerField(allow_null=True)


class TimelinessSerializer(serializers.Serializer):
    cycle = serializers.IntegerField()
    as_of = serializers.DateTimeField()
    figures = FiguresSerializer()
    member_states = MemberTimelinessSerializer(many=True)


class Timeliness(PortalAPIView):
    access = "reviewer"

    @extend_schema(
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, description="Figures as of the end of this day "
                                     "(Brussels); now when left out.")],
        responses={200: TimelinessSerializer, **refusals(400)},
        summary="Who was expected, who submitted on time or late, who is missing, as of a day (reviewers)")
    def get(self, request, cycle_pk):
        cycle = get_cycle_for_user(request.user, cycle_pk)
        form = AsOfForm(request.query_params)
        if not form.is_valid():
            raise Problem(400, "invalid", _("Correct the fields named in “errors”."),
                          errors={name: list(messages) for name, messages in form.errors.items()})
        at = timezone.now()
        if form.cleaned_data["as_of"]:
            at = min(at, Deadline(form.cleaned_data["as_of"]).ends_at - datetime.timedelta(microseconds=1))
        # In UTC: Brussels' offset in an early year is local mean time, in seconds, which RFC 3339 cannot write.
        at = at.astimezone(datetime.UTC)
        report = dashboard(cycle, at=at)
        figures = report.figures
        return Response({
            "cycle": cycle.pk, "as_of": at,
            "figures": {"expected": figures.expected, "submitted": figures.submitted, "on_time": figures.on_time,
                        "late": figures.late, "missing": figures.missing, "not_due": figures.not_due},
            "member_states": [{
                "member_state": m.member_state.eu_code, "state": str(m.state),
                "deadline": m.deadline.ends_at.astimezone(datetime.UTC) if m.deadline is not None else None,
                "first_submitted_at": m.first_submitted_at,
                "latest_version": m.latest.number if m.latest is not None else None,
                "assessment": m.assessment.pk if m.assessment is not None else None,
            } for m in report.members],
        })
