"""One notification service, two channels: the in-app inbox and email (immediate or a daily
digest, per the user's preference; notices the law requires are always emailed)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.selectors import language_of_user, users_with_role
from audit.services import event_record
from core.errors import InvalidState
from core.roles import Role

from .models import Attempt, Notification, Preference, ReminderSent

MAX_ATTEMPTS = 5
Status = Notification.EmailStatus
logger = logging.getLogger(__name__)


def lease() -> dt.timedelta:
    """How long a sender may hold a claimed row before the sweep sends it again."""
    return dt.timedelta(seconds=settings.KOFU_NOTIFICATION_LEASE_SECONDS)


class DeliveryFailed(Exception):
    def __init__(self, error: Exception, *, final: bool):
        super().__init__(str(error))
        self.final = final


def _render(kind: str, context: dict[str, Any], language: str) -> tuple[str, str]:
    with translation.override(language):
        text = render_to_string(f"notifications/messages/{kind}.txt", context).strip()
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip()


def _email_status(preference: Preference | None, legally_required: bool) -> str:
    mode = preference.email if preference else Preference.Email.IMMEDIATE
    if legally_required or mode == Preference.Email.IMMEDIATE:
        return Status.PENDING
    return Status.DIGEST if mode == Preference.Email.DIGEST else Status.SKIPPED


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    context: dict[str, Any],
    link: str = "",
    legally_required: bool = False,
) -> list[Notification]:
    """Write one row per recipient, in their language, in the caller's transaction; the
    immediate emails are sent by a task after commit."""
    from .tasks import notification_send

    users = {user.pk: user for user in recipients if user is not None}
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=users)}
    rows = []
    for user in users.values():
        language = language_of_user(user)
        subject, body = _render(kind, {**context, "link": link}, language)
        preference = preferences.get(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                language=language,
                subject=subject,
                body=body,
                link=link,
                legally_required=legally_required,
                in_app=legally_required or preference is None or preference.in_app,
                email_status=_email_status(preference, legally_required),
            )
        )
    notifications = Notification.objects.bulk_create(rows)
    for notification in notifications:
        if notification.email_status == Status.PENDING:
            transaction.on_commit(lambda pk=notification.pk: notification_send.delay(pk))
    return notifications


def _message_id(notification: Notification) -> str:
    return f"<kofu-notification-{notification.pk}@{settings.KOFU_MAIL_DOMAIN}>"


def _email(notification: Notification) -> EmailMultiAlternatives:
    url = f"{settings.SITE_URL}{notification.link}" if notification.link else ""
    with translation.override(notification.language):
        html = render_to_string(
            "notifications/email.html",
            {"subject": notification.subject, "body": notification.body, "url": url},
        )
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=f"{notification.body}\n\n{url}".strip(),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        headers={
            "Message-ID": _message_id(notification),
            "Content-Language": notification.language,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def notification_deliver(*, notification_id: int) -> bool:
    """Email one notification; True if it was sent by this call.

    The claim (pending → sending, ``claimed_at`` = now) commits before the SMTP conversation, so
    a second task for the same row finds nothing to claim. A worker that dies mid-send leaves
    the row "sending"; once its lease runs out, ``notifications_reclaim`` sends it again with
    the same Message-ID.
    """
    claimed = Notification.objects.filter(pk=notification_id, email_status=Status.PENDING).update(
        email_status=Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        if notification.recipient.email:
            _email(notification).send()
    except Exception as error:  # any transport error is recorded, then retried or final
        final = notification.attempts >= MAX_ATTEMPTS
        Attempt.objects.create(
            notification=notification, outcome=Attempt.Outcome.FAILED, error=repr(error)
        )
        Notification.objects.filter(pk=notification_id).update(
            email_status=Status.FAILED if final else Status.PENDING, last_error=repr(error)
        )
        raise DeliveryFailed(error, final=final) from error
    Attempt.objects.create(notification=notification, outcome=Attempt.Outcome.SENT)
    Notification.objects.filter(pk=notification_id).update(
        email_status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def digest_deliver(*, user_id: int) -> int:
    """Send one email listing a user's waiting digest notifications; returns how many."""
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(recipient_id=user_id, email_status=Status.DIGEST)
            .select_related("recipient")
            .order_by("created_at", "id")
        )
        ids = [notification.pk for notification in waiting]
        Notification.objects.filter(pk__in=ids).update(
            email_status=Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
    if not waiting:
        return 0
    try:
        _digest_email(waiting).send()
    except Exception as error:  # the digest waits for the next run
        Attempt.objects.bulk_create(
            Attempt(
                notification_id=pk, outcome=Attempt.Outcome.FAILED, error=repr(error), digest=True
            )
            for pk in ids
        )
        Notification.objects.filter(pk__in=ids).update(
            email_status=Status.DIGEST, last_error=repr(error)
        )
        raise
    Attempt.objects.bulk_create(
        Attempt(notification_id=pk, outcome=Attempt.Outcome.SENT, digest=True) for pk in ids
    )
    Notification.objects.filter(pk__in=ids).update(email_status=Status.SENT, sent_at=timezone.now())
    return len(ids)


def _digest_email(waiting: list[Notification]) -> EmailMultiAlternatives:
    recipient = waiting[0].recipient
    language = language_of_user(recipient)
    with translation.override(language):
        subject = str(_("[Kofu] Your daily digest: %(count)s messages") % {"count": len(waiting)})
        body = render_to_string(
            "notifications/digest.txt", {"notifications": waiting, "site": settings.SITE_URL}
        )
    return EmailMultiAlternatives(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
        headers={"Content-Language": language},
    )


def digests_due_user_ids() -> list[int]:
    return list(
        Notification.objects.filter(email_status=Status.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def notifications_needing_attention() -> QuerySet[Notification]:
    """Failed emails, those a worker claimed and never confirmed within the lease, and legally
    required notices escalated to staff and still undelivered."""
    stuck = Q(email_status=Status.SENDING, claimed_at__lt=timezone.now() - lease())
    escalated = Q(escalated_at__isnull=False) & ~Q(email_status=Status.SENT)
    return (
        Notification.objects.filter(Q(email_status=Status.FAILED) | stuck | escalated)
        .select_related("recipient")
        .prefetch_related("attempt_log")
    )


def notifications_reclaim() -> int:
    """Send again every email whose lease ran out unconfirmed; returns how many were queued.

    A row still "sending" lost its worker (killed, out of memory, machine gone) somewhere
    between the claim and the confirmation; a row still "pending" lost its task (a broker
    flushed, a commit hook that never ran). Each is put back to "pending" and queued once, with
    a compare-and-set on ``claimed_at`` so two sweeps never queue it twice. The email keeps its
    Message-ID, so if the lost attempt did reach the server, the recipient's side can drop the
    copy. A row already tried ``MAX_ATTEMPTS`` times fails for good instead.
    """
    from .tasks import notification_send

    now = timezone.now()
    cutoff = now - lease()
    expired = Notification.objects.filter(
        Q(email_status=Status.SENDING, claimed_at__lt=cutoff)
        | Q(email_status=Status.PENDING, claimed_at__lt=cutoff)
        | Q(email_status=Status.PENDING, claimed_at=None, created_at__lt=cutoff)
    ).values_list("pk", "email_status", "claimed_at", "attempts")
    queued = 0
    for pk, status, claimed_at, attempts in expired:
        with transaction.atomic():
            lost = status == Status.SENDING
            final = lost and attempts >= MAX_ATTEMPTS
            error = "no confirmation within the lease: the sending worker was lost" if lost else ""
            if not Notification.objects.filter(
                pk=pk, email_status=status, claimed_at=claimed_at
            ).update(
                email_status=Status.FAILED if final else Status.PENDING,
                claimed_at=now,
                last_error=error or F("last_error"),
            ):
                continue  # another sweep or a late worker got there first
            if lost:
                Attempt.objects.create(
                    notification_id=pk, outcome=Attempt.Outcome.FAILED, error=error
                )
            if not final:
                transaction.on_commit(lambda pk=pk: notification_send.delay(pk))
                queued += 1
    return queued


def notices_undelivered_due() -> QuerySet[Notification]:
    """Legally required notices not yet escalated that failed, failed often enough, or have
    waited too long."""
    too_old = timezone.now() - dt.timedelta(hours=settings.KOFU_NOTICE_ALERT_AFTER_HOURS)
    return (
        Notification.objects.filter(legally_required=True, escalated_at=None)
        .exclude(email_status=Status.SENT)
        .annotate(
            failures=Count("attempt_log", filter=Q(attempt_log__outcome=Attempt.Outcome.FAILED))
        )
        .filter(
            Q(email_status=Status.FAILED)
            | Q(failures__gte=settings.KOFU_NOTICE_ALERT_AFTER_ATTEMPTS)
            | Q(created_at__lt=too_old)
        )
    )


def notices_escalate() -> int:
    """Alert staff, once per notice, to legally required notices still undelivered: an in-app
    notification (and email) to every staff user and an email to ``KOFU_NOTICE_ALERT_EMAIL``."""
    escalated = 0
    for pk in notices_undelivered_due().values_list("pk", flat=True):
        with transaction.atomic():
            if not Notification.objects.filter(pk=pk, escalated_at=None).update(
                escalated_at=timezone.now()
            ):
                continue
            notice = Notification.objects.select_related("recipient").get(pk=pk)
            context = {
                "subject": notice.subject,
                "recipient": notice.recipient.get_full_name() or notice.recipient.username,
                "email": notice.recipient.email,
                "created": timezone.localtime(notice.created_at).strftime("%Y-%m-%d %H:%M"),
                "attempts": notice.attempts,
                "error": notice.last_error[:200],
            }
            notify(
                recipients=users_with_role(Role.STAFF),
                kind="notice_undelivered",
                context=context,
                link="/inbox/failures/",
            )
            event_record(
                notice,
                "notification_escalate",
                by=None,
                role=Role.SYSTEM,
                data={
                    "kind": notice.kind,
                    "recipient": notice.recipient_id,
                },
            )
            if settings.KOFU_NOTICE_ALERT_EMAIL:
                transaction.on_commit(lambda context=context: _alert_email_send(context))
        escalated += 1
    return escalated


def _alert_email_send(context: dict[str, Any]) -> None:
    subject, body = _render(
        "notice_undelivered", {**context, "link": "/inbox/failures/"}, settings.LANGUAGE_CODE
    )
    try:
        EmailMultiAlternatives(
            subject,
            f"{body}\n\n{settings.SITE_URL}/inbox/failures/",
            settings.DEFAULT_FROM_EMAIL,
            [settings.KOFU_NOTICE_ALERT_EMAIL],
        ).send()
    except Exception:  # the staff users' own notifications are retried by the outbox
        logger.exception("could not email the undelivered-notice alert")


@transaction.atomic
def notification_resend(*, notification_id: int, by: Any) -> Notification:
    """Staff send a failed (or stuck) email again, knowingly."""
    from .tasks import notification_send

    notification = Notification.objects.select_for_update().get(pk=notification_id)
    if not notifications_needing_attention().filter(pk=notification_id).exists():
        raise InvalidState(_("Only a failed or stuck email can be sent again."))
    notification.email_status = Status.PENDING
    notification.attempts = 0
    notification.save(update_fields=["email_status", "attempts"])
    event_record(
        notification,
        "notification_resend",
        by=by,
        role=Role.STAFF,
        data={"kind": notification.kind, "recipient": notification.recipient_id},
    )
    transaction.on_commit(lambda: notification_send.delay(notification_id))
    return notification


def inbox_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, in_app=True)


def unread_count(user: Any) -> int:
    return inbox_for(user).filter(read_at=None).count()


def notification_mark_read(*, notification_id: int | None = None, by: Any) -> int:
    """Mark one notification (or, without an id, all) of the user as read."""
    unread = inbox_for(by).filter(read_at=None)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def preference_update(*, user: Any, email: str, in_app: bool) -> Preference:
    if email not in Preference.Email.values:
        raise InvalidState(_("Unknown email preference."))
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"email": email, "in_app": in_app}
    )
    return preference


def reminder_once(key: str) -> bool:
    """Record that the reminder ``key`` goes out now; False if it already went."""
    _reminder, created = ReminderSent.objects.get_or_create(key=key)
    return created
