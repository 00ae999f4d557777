from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.selectors import language_of_user

from .models import Notification


def _render(kind: str, context: dict[str, Any], language: str) -> tuple[str, str]:
    with translation.override(language):
        text = render_to_string(f"notifications/messages/{kind}.txt", context).strip()
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip()


def notify(
    *, recipients: Iterable[Any], kind: str, context: dict[str, Any], link: str = ""
) -> list[Notification]:
    """Write one outbox row per recipient, in their language; send each after commit."""
    from .tasks import notification_send

    rows = []
    for user in {user.pk: user for user in recipients if user is not None}.values():
        language = language_of_user(user)
        subject, body = _render(kind, {**context, "link": link}, language)
        rows.append(
            Notification(
                recipient=user, kind=kind, language=language, subject=subject, body=body, link=link
            )
        )
    notifications = Notification.objects.bulk_create(rows)
    for notification in notifications:
        transaction.on_commit(lambda pk=notification.pk: notification_send.delay(pk))
    return notifications


def notification_deliver(*, notification_id: int) -> bool:
    """Send one notification by email unless it was already sent; True if sent now."""
    from django.conf import settings
    from django.core.mail import send_mail

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .get(pk=notification_id)
        )
        if notification.sent_at is not None:
            return False
        notification.attempts += 1
        if notification.recipient.email:
            body = notification.body
            if notification.link:
                body = f"{body}\n\n{settings.SITE_URL}{notification.link}"
            send_mail(
                notification.subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [notification.recipient.email],
            )
        notification.sent_at = timezone.now()
        notification.save(update_fields=["attempts", "sent_at"])
    return True


def notification_mark_read(*, notification_id: int, by: Any) -> None:
    Notification.objects.filter(pk=notification_id, recipient=by, read_at=None).update(
        read_at=timezone.now()
    )
