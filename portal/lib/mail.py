"""Emails from templates/emails/<name>: a subject, a text and an HTML part, rendered apart from sending.

Rendering and sending are separate steps so that the notification ledger can commit exactly what it will send
before sending it, and send those same words again, under the same Message-ID, if a crash leaves it unsure.

An email that quotes or concerns marked content carries its handling marking (FIRST TLP 2.0, portal/markings.py):
the sender puts the label in the context (`marking`), and it goes in front of the subject ("[TLP:AMBER+STRICT] ...")
and is the first line of the text and of the HTML, here, for every template.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from portal.languages import language_for
from portal.markings import Marking

BODY = re.compile(r"(<body[^>]*>)", re.IGNORECASE)


def render_text(template_name, context, request=None):
    """A plain-text template (an email's subject or text part) rendered without HTML escaping."""
    return engines["text"].get_template(template_name).render(context, request)


def render_templated(name, context):
    """(subject, text, html) of templates/emails/<name>_subject.txt, <name>.txt and <name>.html, in the language of
    `context["recipient"]` (their account's, else the portal's default), whoever's request sends it; labelled with
    `context["marking"]` when the email concerns marked content (`labelled`)."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language_for(context.get("recipient"))):
        subject = " ".join(render_text(f"emails/{name}_subject.txt", context).split())
        return labelled(context.get("marking"), subject, render_text(f"emails/{name}.txt", context),
                        render_to_string(f"emails/{name}.html", context))


def labelled(marking, subject, text, html):
    """(subject, text, html) with the label in front of the subject and as the first line of each body (never
    translated; in its colour on black in the HTML). Unchanged for None: an email about no marked content."""
    if not marking:
        return subject, text, html
    marking = Marking(marking)
    line = (f'<p style="background: #000; color: {marking.colour}; font-weight: bold; text-align: right; '
            f'padding: 2px 6px; margin: 0 0 1em">{marking.value}</p>')
    html = BODY.sub(lambda found: found.group(1) + line, html, count=1) if BODY.search(html) else line + html
    return f"[{marking.value}] {subject}", f"{marking.value}\n\n{text}", html


def send_rendered(subject, text, html, to, *, message_id=None):
    """Send one rendered email to one address; with `message_id` (see `message_id()`) instead of a random one."""
    message = EmailMultiAlternatives(subject, text, to=[to],
                                     headers={"Message-ID": message_id} if message_id else None)
    message.attach_alternative(html, "text/html")
    message.send()


def send_templated(name, context, to):
    """Send templates/emails/<name>_subject.txt, <name>.txt and <name>.html to one address."""
    send_rendered(*render_templated(name, context), to)


def message_id(local_part):
    """`<local_part@host of SITE_URL>`: a Message-ID (RFC 5322) the portal chooses, so that it can send it again."""
    return f"<{local_part}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}>"
