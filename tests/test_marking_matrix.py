"""Each role × each handling marking × each output: the reader either sees the content with its label, or does not
see it at all (issue 27, docs/markings.md).

One world, shared by every case: five member states, each version under another of the five labels (Austria
TLP:CLEAR ... Italy TLP:RED, shared with one reviewer), each draft under its version's, each carrying a marker of its
own in its answers (the scope's summary, a measure's note), in a reviewer's question on it and in the answer. The
outputs are generated, so that a new one is covered without anyone adding it here:

- every URL pattern of the portal that the filler can fill from a member state's assessment, a cycle or a review,
  asked with GET: pages, PDFs, CSVs, workbooks and API answers (a pattern with a parameter it does not know fails the
  test until it is taught, or said to show nothing marked);
- every export the portal renders (reporting.exports.content.RENDERERS: each kind in each format), asked as each
  reader may;
- every e-mail template (templates/emails): the clarification mails are sent in the world; any other must be listed
  as concerning nothing marked.

The label is read as each kind carries it: a page's banners (top and bottom), a PDF's page margins (header and
footer of every page), a CSV's and each sheet's first row, the API's `marking` fields, an e-mail's subject and first
line. "Sees the content with its label" is: wherever its marker is, the label there is at least its marking.
"""

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments import services as assessment_services
from assessments.models import NationalAssessment, ScopeAnswer, Section
from portal.markings import Marking, at_most, strictest
from portal.models import MemberState, Role
from reporting import publishing
from reporting import services as review_services
from reporting.exports.content import RENDERERS
from reporting.models import CoordinatedReview, ExportKind
from tests import factories
from tests.api.helpers import token_for
from tests.assessments import helpers
from tests.reporting.exporting import LABELS, body, made_here, pdf_labels
from tests.signing_in import PortalClient

pytestmark = [pytest.mark.long, pytest.mark.django_db]

MARKINGS = {"AT": Marking.CLEAR, "BE": Marking.GREEN, "DE": Marking.AMBER, "FR": Marking.AMBER_STRICT,
            "IT": Marking.RED}
ROLES = ["lead", "other_state", "reviewer", "reviewer_named", "admin"]
# The e-mails that concern no member state's content (deadlines, accounts, access): they carry no label.
UNMARKED_MAIL = {"access_decided", "access_requested", "admin_summary", "overdue", "reminder", "sign_in_attempts",
                 "welcome"}
# The e-mails the world sends, each about a version: it quotes the question, or the answer.
MARKED_MAIL = {"clarification_sent", "clarification_answered"}
# Routes the filler leaves: they show no member state's assessment (accounts, administration, the calendar feed),
# or their own parameter names objects this world has none of (an attachment's marking is another issue's).
NOT_ASSESSMENT_CONTENT = re.compile(r"^(admin/|accounts/|\^accounts/|manage/|authority/team/|access-requests/"
                                    r"|account/|calendar/|\^api/|api/schema|api/docs|healthz|language/)")
UNFILLED = {"attachment_pk", "row_pk", "entry_pk"}


def marker(code):
    return f"MARKER{code}tlp"  # no space: PDFs' text is searched with its spaces taken out


def may_see(role, marking):
    """The rules of portal/access.py, restated: own staff, reviewers and admins (a TLP:RED version: only the reviewers
    it names, not admins, who see that it exists but not what it says)."""
    if role == "other_state":
        return False
    if role in ("reviewer", "admin"):
        return marking != Marking.RED
    return True


@pytest.fixture
def world(db, submit, export_root):
    cycle = helpers.cycle_with_questionnaire(title="Marked", codes=list(MARKINGS))
    named, reviewer = factories.user(Role.REVIEWER), factories.user(Role.REVIEWER)
    people = {"reviewer": reviewer, "reviewer_named": named, "admin": factories.user(Role.ADMIN)}
    assessments = {}
    for code, marking in MARKINGS.items():
        lead = factories.user(Role.LEAD_REPORTER, code)
        people[f"lead_{code}"] = lead
        draft = helpers.start(cycle, lead)
        helpers.answer(draft, scenarios={"R4": (3, 3)}, sm03="planned", capability=4, sensitivity=4,
                       suppliers=[("Ericsson", 100, 100, "low")], note=marker(code))
        ScopeAnswer.objects.filter(assessment=draft, version=None).update(summary=marker(code))
        NationalAssessment.objects.filter(pk=draft.pk).update(marking=marking)  # the team's, as the lead's
        submit(cycle, code, fill=False, lead=lead, marking=marking,
               shared_with=[named] if marking == Marking.RED else [])
        assessments[code] = NationalAssessment.objects.get(pk=draft.pk)
    review, _created = review_services.review_request(cycle=cycle)
    review_services.review_build(review_id=review.pk)
    review = CoordinatedReview.objects.get(pk=review.pk)
    publishing.review_publish(review=review, user=reviewer)  # TLP:GREEN: the aggregates, to every member state
    # A question on each version, by the reviewer the TLP:RED one names, and its lead's answer: the e-mails.
    mail.outbox.clear()
    for code, assessment in assessments.items():
        with TestCase.captureOnCommitCallbacks(execute=True):
            assessment_services.assessment_return(assessment=assessment, user=named,
                                                  points=[(Section.SCOPE, "", f"{marker(code)} Which operators?")])
        with TestCase.captureOnCommitCallbacks(execute=True):
            assessment_services.clarification_answer(point=assessment.clarifications.get(),
                                                     user=people[f"lead_{code}"], text=f"{marker(code)} Three.")
    return {"cycle": cycle, "review": review, "people": people, "assessments": assessments,
            "mails": list(mail.outbox)}


def reader(world, role, code):
    """Who plays `role` for `code`'s content: its own lead reporter, the next member state's, or the EU's people."""
    if role == "lead":
        return world["people"][f"lead_{code}"]
    if role == "other_state":
        codes = list(MARKINGS)
        return world["people"][f"lead_{codes[(codes.index(code) + 1) % len(codes)]}"]
    return world["people"][role]


# The outputs.

def routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return [route for route in walk(get_resolver().url_patterns) if not NOT_ASSESSMENT_CONTENT.search(route)]


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def urls(world, code):
    """(route, url) of every route the filler fills for `code`'s assessment, or for the cycle and the review."""
    assessment = world["assessments"][code]
    values = [
        (r"^(api/v1/)?assessments/<int:pk>/", {"pk": assessment.pk, "number": 1, "code": Section.SCOPE.value,
                                               "point_pk": assessment.clarifications.get().pk}),
        (r"cycles/<int:cycle_pk>/", {"cycle_pk": world["cycle"].pk}),
        (r"^(api/v1|reporting)/reviews/<int:pk>/", {"pk": world["review"].pk, "key": "measure_notes",
                                                    "fmt": "xlsx"}),
    ]
    found = []
    for route in routes():
        names = PARAMETER.findall(route)
        if not names:
            found.append((route, "/" + route))
            continue
        known = next((given for pattern, given in values if re.search(pattern, route)), None)
        if set(names) & UNFILLED or route.startswith(("reporting/exports/", "api/v1/exports/")):
            continue  # the exports: asked below, as each reader may (EXPORTS)
        assert known is not None and set(names) <= set(known), (
            f"The marking matrix does not know how to fill {route!r}: teach urls() which object belongs there.")
        found.append((route, "/" + PARAMETER.sub(lambda m, known=known: str(known[m.group(1)]), route)))
    return found


def exports(world):
    """{(kind, format): the POST that asks for it} of every export the portal renders."""
    cycle, review = world["cycle"], world["review"]
    offered = [code for code, marking in MARKINGS.items() if marking != Marking.RED]
    asked = {}
    for kind, fmt in RENDERERS:
        if kind == ExportKind.REVIEW:
            asked[kind, fmt] = (reverse("reporting:review_export", args=[review.pk, fmt]), {})
        else:
            asked[kind, fmt] = (reverse("reporting:comparison_export", args=[cycle.pk]), {
                # Every member state the comparison offers: a TLP:RED version is withheld, not a choice.
                "member_states": list(MemberState.objects.filter(eu_code__in=offered).values_list("pk", flat=True)),
                "section": Section.SCOPE.value, "format": fmt})
    assert len(asked) == len(RENDERERS) >= 4
    return asked


def label_and_texts(content, kind):
    """(the label an answer (its bytes and Content-Type) carries, or None when it carries none as its kind must; the
    texts to search)."""
    if content[:5] == b"%PDF-":
        pages = pdf_labels(content)
        texts = ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]
        each = [sorted(where for _l, where, _x, _s in found) == ["bottom", "top"] and {label for label, *_r in found}
                for found in pages]
        labels = set().union(*each) if all(each) else set()
        return (labels.pop() if len(labels) == 1 else None), texts
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            texts = [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
        book = load_workbook(io.BytesIO(content))
        # An export's sheets have it alone in the first row; the workbook to fill in at the end of its headers' row.
        labels = [[c.value for c in next(sheet.iter_rows(max_row=1), []) if c.value in LABELS]
                  for sheet in book.worksheets if sheet.sheet_state == "visible"]
        labelled = all(len(found) == 1 for found in labels)
        return (strictest(*(found[0] for found in labels)) if labelled else None), texts
    text = content.decode("utf-8-sig", "replace")
    if "text/csv" in kind:
        first = text.splitlines()[0] if text else ""
        return (first.strip('"') if first.strip('"') in LABELS else None), [text]
    if "json" in kind:
        found = []

        def walk(value):
            if isinstance(value, dict):
                found.extend(v for k, v in value.items() if k == "marking" and v)
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)

        walk(json.loads(text or "null"))
        return strictest(*found), [text]
    if "html" in kind:
        banners = dict(re.findall(r'class="tlp-banner tlp-banner-(top|bottom)" role="note" data-marking="([^"]+)"',
                                  text))
        both = banners.get("top") is not None and banners.get("top") == banners.get("bottom")
        return (banners["top"] if both else None), [text]
    return None, [text]


def mail_label(message):
    found = re.match(r"\[(TLP:[A-Z+]+)\] ", message.subject)
    if found and message.body.splitlines()[0] == found[1]:
        return found[1]
    return None


class Reader:
    """What one person gets, asked once and kept: the answers for each member state's assessment, and the rest (the
    cycle's and the review's pages, the exports, their e-mail). The same file read twice is read once (`_read`)."""

    def __init__(self, world, user, readings):
        self.world, self.user, self.readings, self.by_code, self.rest = world, user, readings, {}, None
        self.client = PortalClient(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
        self.client.force_login(user)

    def _read(self, response):
        content = body(response)
        key = (response.get("Content-Type", ""), hashlib.sha256(content).hexdigest())
        if key not in self.readings:
            self.readings[key] = label_and_texts(content, key[0])
        return self.readings[key]

    def _get(self, urls):
        got = []
        for url in urls:
            response = self.client.get(url)
            assert response.status_code < 500, (url, response.status_code)
            if response.status_code == 200:
                got.append((f"GET {url}", *self._read(response)))
        return got

    def outputs(self, code):
        if code not in self.by_code:
            self.by_code[code] = self._get(self.world["urls"][code])
        if self.rest is None:
            self.rest = self._get(self.world["urls"][None])
            for (kind, fmt), (url, data) in self.world["exports"].items():
                answer = self.client.post(url, data)
                if answer.status_code == 302 and "/exports/" in answer.url:
                    self.rest.append((f"{kind} {fmt}", *self._read(made_here(self.client, url, data))))
            self.rest += [(f"mail {message.subject}", mail_label(message),
                           [message.subject, message.body, message.alternatives[0][0]])
                          for message in self.world["mails"] if self.user.email in message.to]
        return self.by_code[code] + self.rest


def gettable(world):
    """{code or None: [url]}: every filled URL that answers GET (one that refuses the method, 405, refuses it to
    anyone, whoever asks; an admin asks, once per pattern)."""
    client = PortalClient()
    client.force_login(world["people"]["admin"])
    refused = {route for route, url in urls(world, "AT") if client.get(url).status_code == 405}
    found = {None: set()}
    for code in MARKINGS:
        found[code] = []
        for route, url in urls(world, code):
            if route in refused:
                continue
            if re.match(r"^(api/v1/)?assessments/<int:pk>/", route):
                found[code].append(url)
            else:
                found[None].add(url)
    found[None] = sorted(found[None])
    return found


def test_every_role_sees_each_marking_with_its_label_or_not_at_all(world):
    world["urls"], world["exports"] = gettable(world), exports(world)
    problems, seen, readers, readings = [], {}, {}, {}
    for role in ROLES:
        for code, marking in MARKINGS.items():
            user = reader(world, role, code)
            if user.pk not in readers:
                readers[user.pk] = Reader(world, user, readings)
            found = [(what, label) for what, label, texts in readers[user.pk].outputs(code)
                     if any(marker(code) in text for text in texts)]
            seen[role, marking] = [what for what, _label in found]
            if not may_see(role, marking):
                problems += [f"{role} reads {code}'s {marking} content in {what}" for what, _label in found]
                continue
            problems += [f"{role}: {what} shows {code}'s {marking} content under {label or 'no label'}"
                         for what, label in found if label is None or not at_most(marking, label)]
    sent = {message.subject for message in world["mails"]}
    assert len(sent) == 2 * len(MARKINGS) and all(subject.startswith("[TLP:") for subject in sent)
    assert problems == [], "\n".join(problems)
    # Not a matrix of refusals: those the rules let read it read it, on pages, in files, in the API and in e-mail.
    for role in ("lead", "reviewer_named", "admin"):
        for marking in [m for m in Marking if may_see(role, m)]:
            kinds = " ".join(seen[role, marking])
            assert "GET /assessments/" in kinds and "GET /api/v1/" in kinds, (role, marking)
    assert any(what.startswith("mail") for what in seen["lead", Marking.RED])
    assert any(what.startswith("review pdf") for what in seen["reviewer", Marking.AMBER_STRICT])
    assert any(what.startswith("review xlsx") for what in seen["reviewer", Marking.CLEAR])
    # Every export was made for a reviewer (and read above); a member state's staff get the review's only.
    made = {what for what, _label, _texts in readers[world["people"]["reviewer"].pk].rest}
    assert {f"{kind} {fmt}" for kind, fmt in RENDERERS} <= made
    made = {what for what, _label, _texts in readers[world["people"]["lead_AT"].pk].rest}
    assert {f"{kind} {fmt}" for kind, fmt in RENDERERS if kind == ExportKind.REVIEW} <= made
    assert not any(what.startswith("comparison") for what in made)
    assert any(what.endswith("document.pdf") for what in seen["reviewer_named", Marking.RED])


def test_every_email_is_either_sent_in_the_matrix_or_concerns_nothing_marked():
    templates = {path.name.removesuffix("_subject.txt")
                 for path in Path(django_settings.BASE_DIR, "templates", "emails").glob("*_subject.txt")}
    assert templates == UNMARKED_MAIL | MARKED_MAIL
