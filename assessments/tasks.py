import smtplib

from celery import shared_task
from django.db import InterfaceError, OperationalError

from assessments import reminders


# A mail server or a database that stays away longer than one run waits for (portal.lib.db): the whole run again,
# later; the ledger makes it send only what the failed run had not.
@shared_task(name="assessments.send_reminders", acks_late=True,
             autoretry_for=(smtplib.SMTPException, ConnectionError, OperationalError, InterfaceError),
             retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_reminders():
    """Beat runs this every hour; the ledger makes every run after the first of a day send nothing new."""
    return reminders.send_reminders()
