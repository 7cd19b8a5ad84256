"""Every answer a filer's page or its autosave gives is in the reader's language: the refusals (built once, before
any request) too."""

import json

import pytest
from django.urls import reverse

from assessments.models import NationalAssessment, Section, SectionState
from tests.assessments.test_autosave import autosave

pytestmark = pytest.mark.django_db

ENGLISH = ("Not saved", "Saved at", "What you typed is kept", "locked", "colleague")


def speaking(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_autosaves_answers_are_in_the_readers_language(client, draft, reporter_at, lead_at, language):
    speaking(reporter_at, language)
    client.force_login(reporter_at)
    answers = {}
    _response, answers["saved"] = autosave(client, draft, "SM01", "note", "Powers reinforced.")
    _response, answers["invalid"] = autosave(client, draft, "SM02", "target_date", "31 February")
    opened_at = SectionState.objects.get(assessment=draft, section=Section.MEASURES).revision
    client.force_login(lead_at)
    autosave(client, draft, "SM03", "note", "Lead's words.", revision=opened_at)
    client.force_login(reporter_at)
    _response, answers["conflict"] = autosave(client, draft, "SM03", "note", "Mine.", revision=opened_at)
    NationalAssessment.objects.filter(pk=draft.pk).update(status="submitted")
    _response, answers["locked"] = autosave(client, draft, "SM05", "note", "Too late.")
    assert {kind: body["status"] for kind, body in answers.items()} == {
        "saved": "saved", "invalid": "invalid", "conflict": "conflict", "locked": "locked"}
    for kind, body in answers.items():
        assert body["message"] and not any(word in body["message"] for word in ENGLISH), (kind, body["message"])
    for errors in answers["invalid"]["errors"].values():
        assert not any("Enter a valid date" in error for error in errors), errors


@pytest.mark.parametrize("language, word", [("de", "gespeichert"), ("fr", "Enregistrement")])
def test_the_autosave_scripts_words_come_from_the_page_in_the_readers_language(client, draft, reporter_at, language,
                                                                               word):
    speaking(reporter_at, language)
    client.force_login(reporter_at)
    page = client.get(reverse("assessments:section", args=[draft.pk, "measures"])).content.decode()
    text = json.loads(page.split('<script id="autosave-text" type="application/json">')[1].split("</script>")[0])
    assert word in text["saving"]
    assert not any(word in value for value in text.values() for word in ("Saving", "Unsaved", "Restore", "server"))
