"""Emails from templates/emails/<name>: a subject, a text and an HTML part, rendered apart from sending.

Rendering and sending are separate steps so that the notification ledger can commit exactly what it will send
before sending it, and send those same words again, under the same Message-ID, if a crash leaves it unsure.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from portal.languages import language_for


def render_text(template_name, context, request=None):
    """A plain-text template (an email's subject or text part) rendered without HTML escaping."""
    return engines["text"].get_template(template_name).render(context, request)


def render_templated(name, context):
    """(subject, text, html) of templates/emails/<name>_subject.txt, <name>.txt and <name>.html, in the language of
    `context["recipient"]` (their account's, else the portal's default), whoever's request sends it."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language_for(context.get("recipient"))):
        subject = " ".join(render_text(f"emails/{name}_subject.txt", context).split())
        return (subject, render_text(f"emails/{name}.txt", context),
                render_to_string(f"emails/{name}.html", context))


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
