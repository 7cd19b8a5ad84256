"""An assessment as one document, on screen and as a PDF: the draft for its member state's sign-off, a version for
everyone who may read it. The page and the PDF render the same templates (templates/assessments/document/)."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from assessments.access import get_draft_for_user, get_version_for_user
from assessments.versions.printable import document_of_draft, document_of_version
from portal import access
from portal.downloads import send_file
from portal.lib.pdf import html_to_pdf
from portal.markings import marking_of


@access.signed_in
def draft_document(request, pk):
    # The draft's readers only: its member state's staff and admins; a reviewer gets 404 like any outsider.
    assessment = get_draft_for_user(request.user, pk)
    document = document_of_draft(assessment, request.user)
    return render(request, "assessments/document/page.html", {"document": document,
                                                               "page_marking": assessment.marking})


@require_safe
@access.signed_in
def draft_document_pdf(request, pk):
    document = document_of_draft(get_draft_for_user(request.user, pk), request.user)
    return _pdf(request, document, "draft")


@access.signed_in
def version_document(request, pk, number):
    version = get_version_for_user(request.user, pk, number)
    return render(request, "assessments/document/page.html", {"document": document_of_version(version),
                                                               "page_marking": version.marking})


@require_safe
@access.signed_in
def version_document_pdf(request, pk, number):
    document = document_of_version(get_version_for_user(request.user, pk, number))
    return _pdf(request, document, f"v{number}")


def _pdf(request, document, label):
    html = render_to_string("assessments/document/pdf.html", {"document": document}, request=request)
    assessment = document.assessment
    # The document's marking: the draft's or the version's (`marking_of` the document's subject).
    marking = marking_of(document.version if document.version is not None else assessment)
    return send_file(request, html_to_pdf(html, request.build_absolute_uri("/"), marking=marking),
                     filename=f"assessment-{assessment.member_state.eu_code}-{assessment.cycle.year}-{label}.pdf",
                     content_type="application/pdf", subject=assessment, what="assessment document",
                     assessment=assessment, marking=(document.version or assessment).marking)
