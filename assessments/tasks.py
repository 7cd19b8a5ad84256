import smtplib

from celery import shared_task

from assessments import reminders


@shared_task(name="assessments.send_reminders", autoretry_for=(smtplib.SMTPException, ConnectionError),
             retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_reminders():
    """Beat runs this every hour; the ledger makes every run after the first of a day send nothing new."""
    return reminders.send_reminders()
