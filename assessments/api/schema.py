"""What the assessments API's requests and answers hold: for the OpenAPI description (drf-spectacular)."""

from rest_framework import serializers

from assessments.questionnaire.sections import MAX_VALUE_LENGTH
from portal.api.errors import page_of, refusals
from portal.markings import Marking

__all__ = ["page_of", "refusals"]


class CycleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    year = serializers.IntegerField()
    status = serializers.CharField()
    assessment = serializers.IntegerField(allow_null=True, help_text="Your member state's assessment, if started.")


class FieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(["text", "choice", "integer", "decimal", "date", "boolean"])
    required_to_submit = serializers.BooleanField()
    help = serializers.CharField(allow_blank=True)
    choices = serializers.ListField(child=serializers.DictField(child=serializers.CharField()), required=False)
    minimum = serializers.FloatField(required=False)
    maximum = serializers.FloatField(required=False)
    max_length = serializers.IntegerField(required=False)


class ItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class PartSerializer(serializers.Serializer):
    prefix = serializers.CharField()
    title = serializers.CharField()
    key = serializers.CharField(help_text="How an answer of this part is named: scenarios.{item}.{field}")
    items = ItemSerializer(many=True, allow_null=True)
    fields = FieldSerializer(many=True)


class QuestionnaireSectionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    parts = PartSerializer(many=True)


class RiskMatrixSerializer(serializers.Serializer):
    likelihood_levels = serializers.IntegerField()
    impact_levels = serializers.IntegerField()
    medium_from = serializers.IntegerField()
    high_from = serializers.IntegerField()
    critical_from = serializers.IntegerField()
    levels = serializers.DictField(child=serializers.CharField(allow_blank=True),
                                   help_text='{"<likelihood>x<impact>": level}')


class QuestionnaireSerializer(serializers.Serializer):
    cycle = serializers.IntegerField()
    sections = QuestionnaireSectionSerializer(many=True)
    risk_matrix = RiskMatrixSerializer()
    rules = serializers.ListField(child=serializers.CharField())


class SectionStateSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    revision = serializers.IntegerField()
    missing = serializers.IntegerField(help_text="Answers still needed before submitting.")


class VersionSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    submitted_by = serializers.CharField()
    sha256 = serializers.CharField()
    marking = serializers.ChoiceField(choices=Marking.choices, help_text="Its handling marking (FIRST TLP 2.0), "
                                      "chosen at submission. TLP:RED: only the reviewers it names read it.")
    certified_by = serializers.ListField(
        child=serializers.DictField(), help_text="Who certified its content (name, role, authority, at, "
                                                  "content_sha256, statement): part of the hashed snapshot.")


class CertificationWaitingSerializer(serializers.Serializer):
    detail = serializers.CharField()
    content_sha256 = serializers.CharField(help_text="The content you certified: a second lead reporter must "
                                                     "certify the same.")


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cycle = serializers.IntegerField()
    member_state = serializers.CharField()
    status = serializers.CharField()
    editable = serializers.BooleanField(help_text="You may change the draft now.")
    may_submit = serializers.BooleanField()
    marking = serializers.ChoiceField(choices=Marking.choices, help_text="The draft's handling marking (FIRST TLP "
                                      "2.0), chosen by its team: a version gets it unless the lead reporter chooses.")
    sections = SectionStateSerializer(many=True)
    versions = VersionSummarySerializer(many=True)


class MissingSerializer(serializers.Serializer):
    question = serializers.CharField()
    field = serializers.CharField()


class SectionSerializer(serializers.Serializer):
    code = serializers.CharField()
    revision = serializers.IntegerField(help_text="Send it back with your change: the base of the merge.")
    values = serializers.DictField(child=serializers.CharField(allow_blank=True),
                                   help_text="Every answer by stable key, canonical (\"\" for none).")
    missing = MissingSerializer(many=True)
    carried_over = serializers.ListField(
        child=serializers.CharField(),
        help_text="Keys whose value was carried over from an earlier cycle and nobody has confirmed or changed yet.")
    marking = serializers.ChoiceField(choices=Marking.choices, help_text="The draft's handling marking (FIRST TLP "
                                                                         "2.0): what these answers are read under.")


class SectionSavedSerializer(SectionSerializer):
    """A section after a write: as read, and when some input was refused, what and why (as a refusal says it)."""

    detail = serializers.CharField(required=False, help_text="Present when some input was refused: what to do.")
    refused = serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text="The keys you sent that were not saved (a refused row's every change), kept as your unsaved "
                  "input; the others are saved.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text="Why, by stable key, as in a 400 refusal (a rule of a row that names no field: by the row, "
                  "\"scenarios.R4\").")


class StillHoldsSerializer(serializers.Serializer):
    question = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                     help_text="An item key (R4, SM03, a supplier's name) or \"scope\"; none: all.")


class StartSerializer(serializers.Serializer):
    start_from = serializers.IntegerField(
        required=False, allow_null=True,
        help_text="An earlier submitted version of your member state to start from (its id, as the versions list "
                  "gives it); none: start empty. Every answer the cycle still asks is carried over.")


class SectionWriteSerializer(serializers.Serializer):
    revision = serializers.IntegerField(min_value=0, help_text="The revision your values start from.")
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True, trim_whitespace=False,
                                    max_length=MAX_VALUE_LENGTH),
        allow_empty=False, help_text="The answers you change, by stable key; others are left as they are.")


class DraftMarkingSerializer(serializers.Serializer):
    marking = serializers.ChoiceField(choices=Marking.choices, help_text="The draft's handling marking (TLP 2.0).")


class SubmitSerializer(serializers.Serializer):
    certify = serializers.BooleanField(
        default=False, help_text="Required: you certify that the assessment is complete and accurate to the best of "
                                 "your authority's knowledge. Bound to the SHA-256 of the draft's content.")
    confirm_unsaved = serializers.BooleanField(
        default=False, help_text="Input refused earlier (kept as unsaved) will not be part of this version.")
    confirm_carried = serializers.BooleanField(
        default=False, help_text="Answers carried over from an earlier cycle, not yet confirmed, still hold.")
    marking = serializers.ChoiceField(choices=Marking.choices, required=False,
                                      help_text="The version's handling marking; the draft's when not given.")
    shared_with = serializers.ListField(
        child=serializers.CharField(max_length=150), required=False, default=list,
        help_text="TLP:RED only, and then at least one: the user names of the reviewers who may read it.")


class VersionSerializer(VersionSummarySerializer):
    assessment = serializers.IntegerField()
    member_state = serializers.CharField()
    cycle = serializers.IntegerField()
    snapshot = serializers.JSONField(help_text="The version's answers as frozen: SHA-256 of it as canonical JSON "
                                               "(sorted keys, no spaces) is `sha256`.")


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    uploaded_by = serializers.CharField()
    marking = serializers.ChoiceField(choices=Marking.choices, help_text=(
        "Its handling marking (FIRST TLP 2.0): the stricter of the one chosen at upload and the draft's."))


class AttachmentUploadSerializer(serializers.Serializer):
    marking = serializers.ChoiceField(choices=Marking.choices, required=False, help_text=(
        "Its handling marking: the draft's when left out, the same or stricter (a less strict one is refused, 400, "
        "in `errors.marking`). TLP:RED: the member state's own staff and only the reviewers the version names."))
    file = serializers.FileField(help_text="PDF, XLSX, DOCX or ODT, at most 20 MB, without macros or scripts. Never "
                                           "EU classified information: a file carrying a classification marking "
                                           "(RESTREINT UE/EU RESTRICTED and above, or a national equivalent) is "
                                           "refused.")
