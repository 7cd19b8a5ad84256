"""The accessibility statement the Web Accessibility Directive requires: public, linked from every page."""

import html

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_statement_in_the_directives_structure(client, settings):
    settings.ACCESSIBILITY_CONTACT = "a11y@portal.example.eu"
    page = html.unescape(client.get(reverse("accessibility")).content.decode())
    for heading in ("Compliance status", "Non-accessible content", "Preparation of this statement",
                    "Feedback and contact information", "Enforcement procedure"):
        assert f">{heading}</h2>" in page
    assert "partially compliant with EN 301 549" in page
    assert "last reviewed on 2 December 2026" in page
    assert 'href="mailto:a11y@portal.example.eu"' in page


def test_every_page_links_to_the_statement_and_to_feedback(client, reporter_at, settings):
    settings.ACCESSIBILITY_CONTACT = "a11y@portal.example.eu"
    for page in (client.get(reverse("account_login")), client.get("/no-such-page/")):
        text = page.content.decode()
        assert f'href="{reverse("accessibility")}"' in text
        assert 'href="mailto:a11y@portal.example.eu?subject=' in text and "Feedback on accessibility" in text
    client.force_login(reporter_at)
    assert f'href="{reverse("accessibility")}"' in client.get(reverse("authority_home")).content.decode()
