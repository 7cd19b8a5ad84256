from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_templated(name, context, to):
    """Send templates/emails/<name>_subject.txt, <name>.txt and <name>.html to one address."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    message = EmailMultiAlternatives(subject, render_to_string(f"emails/{name}.txt", context), to=[to])
    message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
    message.send()
