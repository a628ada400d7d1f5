"""Background tasks of the core app (Django's tasks framework)."""

from django.tasks import task

from shop_accounts.core import outbox


@task(queue_name="email")
def deliver_email_task(email_id: int) -> str:
    return outbox.deliver_email(email_id)


@task(queue_name="email")
def deliver_due_emails_task() -> int:
    return outbox.deliver_due_emails()
