"""A reviewer who reads German reads the review, its PDF and the comparison in German, catalogue and names included.

"English left on the page" is checked two ways: against the catalogue itself (every title and name whose German
differs from its English) and against the interface's own catalogue (locale/de: no text of the page is an English
msgid whose German is another text).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import KeyAssetClass, RiskScenario, ThreatActor, ToolboxMeasure
from portal.models import MemberState, Role
from tests import factories
from tests.reporting.exporting import made_here, pdf_text

pytestmark = pytest.mark.django_db

CATALOGUE = [(RiskScenario, "title"), (ThreatActor, "title"), (KeyAssetClass, "title"), (ToolboxMeasure, "title"),
             (MemberState, "name")]


def texts_in(model, field, language):
    rows = model._parler_meta.root_model.objects.filter(language_code=language)
    return {row.master_id: getattr(row, field) for row in rows}


def english_only():
    """The English titles and names that German writes otherwise (Malta and Portugal are the same in both)."""
    found = set()
    for model, field in CATALOGUE:
        german = texts_in(model, field, "de")
        found |= {text for pk, text in texts_in(model, field, "en").items() if german.get(pk) not in (None, text)}
    return found


def german(model, code, field="title"):
    entry = model.objects.get(**({"eu_code": code} if model is MemberState else {"code": code}))
    return texts_in(model, field, "de")[entry.pk]


class VisibleText(HTMLParser):
    """The texts a reader sees: text nodes outside scripts and styles, whitespace collapsed."""

    def __init__(self):
        super().__init__()
        self.texts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.hidden:
            self.texts.append(text)


def visible(html):
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


def english_msgids():
    """{English msgid: German} for every string locale/de translates as another text."""
    catalogue = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "de" / "LC_MESSAGES" / "django.po"))
    return {entry.msgid: entry.msgstr for entry in catalogue
            if entry.msgstr and entry.msgstr != entry.msgid and not entry.obsolete}


def left_in_english(page_texts):
    """What of the page is still English: catalogue entries anywhere in it, interface strings as whole texts."""
    whole = "\n".join(page_texts)
    found = sorted(text for text in english_only() if re.search(rf"(?<!\w){re.escape(text)}(?!\w)", whole))
    msgids = english_msgids()
    return found + sorted({text for text in page_texts if text in msgids})


@pytest.fixture
def rita_de(db):
    rita = factories.user(Role.REVIEWER, username="rita-de")
    rita.language = "de"
    rita.save(update_fields=["language"])
    return rita


def test_a_german_reviewer_reads_the_review_and_its_listings_with_no_english_left(client, rita_de, review):
    client.force_login(rita_de)
    page = client.get(reverse("reporting:review", args=[review.pk])).content.decode()
    listings = client.get(reverse("reporting:review_member_states", args=[review.pk])).content.decode()
    assert '<html lang="de">' in page
    # The scenarios' and measures' titles, and the member states' names, as German writes them.
    assert german(RiskScenario, "R4") in page and german(ToolboxMeasure, "SM03") in page
    assert german(ThreatActor, "state") in page and german(KeyAssetClass, "core") in page
    assert "Österreich" in listings and "Frankreich" in listings
    assert left_in_english(visible(page)) == []
    assert left_in_english(visible(listings)) == []


def test_the_review_pdf_of_a_german_reviewer_has_no_english_catalogue_entry(client, rita_de, review, export_root):
    client.force_login(rita_de)
    text = " ".join(pdf_text(made_here(client, reverse("reporting:review_export", args=[review.pk, "pdf"]))).split())
    text = re.sub(r"(\w)- (\w)", r"\1-\2", text)  # "5G- Einführungsprojekten": a line broken after a hyphen
    assert german(ToolboxMeasure, "SA10") in text and german(RiskScenario, "R9") in text and "Österreich" in text
    assert german(RiskScenario, "R4") in text and german(ThreatActor, "state") in text
    assert [t for t in english_only() if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text)] == []


def test_the_same_review_reads_in_english_for_an_english_reviewer(client, reviewer, rita_de, review):
    """One review, stored once as codes: each reader gets the catalogue in their own language."""
    client.force_login(rita_de)
    client.get(reverse("reporting:review", args=[review.pk]))  # the German page is kept (fragments) as German
    client.force_login(reviewer)
    page = client.get(reverse("reporting:review", args=[review.pk])).content.decode()
    assert RiskScenario.objects.get(code="R4").title in page and german(RiskScenario, "R4") not in page
    assert left_in_english(visible(page))  # the check above finds English where there is some
    assert "Austria" in client.get(reverse("reporting:review_member_states", args=[review.pk])).content.decode()


def test_a_german_reviewer_compares_member_states_in_german(client, rita_de, four):
    client.force_login(rita_de)
    ids = list(MemberState.objects.filter(eu_code__in=["AT", "DE", "FR"]).values_list("pk", flat=True))
    for section, code, model in [("scenarios", "R4", RiskScenario), ("measures", "SM03", ToolboxMeasure),
                                 ("threats", "state", ThreatActor), ("assets", "core", KeyAssetClass)]:
        page = client.get(reverse("reporting:compare", args=[four.pk]),
                          {"member_states": ids, "section": section}).content.decode()
        assert german(model, code) in page, section
        assert "Österreich" in page and "Deutschland" in page and "Frankreich" in page
        assert left_in_english(visible(page)) == [], section


def test_a_german_page_runs_as_many_queries_as_the_english_one(client, reviewer, rita_de, review, four):
    """Titles and names are read a table at a time: German costs no query more than English, whatever it shows."""
    ids = list(MemberState.objects.filter(eu_code__in=["AT", "BE", "DE", "FR"]).values_list("pk", flat=True))
    urls = [(reverse("reporting:review", args=[review.pk]), {}),
            (reverse("reporting:review_member_states", args=[review.pk]), {}),
            (reverse("reporting:compare", args=[four.pk]), {"member_states": ids, "section": "measures"})]

    def count(user, url, data):
        from django.core.cache import cache

        client.force_login(user)
        client.get(url, data)  # a session's first request writes it
        cache.clear()  # the page rendered, not the fragment it kept
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, data).status_code == 200
        return len(queries)

    for url, data in urls:
        assert count(rita_de, url, data) == count(reviewer, url, data), url
