"""Writes of the accounts app: API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import ApiTokenLifetimeInvalid, ApiTokenNotFound
from .models import ApiToken

TOKEN_PREFIX = "kofu_"  # noqa: S105 - marks Kofu tokens, not a secret


def api_token_digest(token: str) -> str:
    """The token's SHA-256: it carries 256 random bits, so a fast hash suffices to store it."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: Any, name: str, lifetime_days: int) -> tuple[ApiToken, str]:
    """Create a named token expiring after ``lifetime_days``; return it with the plain token,
    which is not stored and cannot be shown again."""
    maximum = settings.KOFU_API_TOKEN_MAX_DAYS
    if not 1 <= lifetime_days <= maximum:
        raise ApiTokenLifetimeInvalid(
            _("A token lasts from 1 to %(max)d days.") % {"max": maximum}, field="lifetime_days"
        )
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=plain[: len(TOKEN_PREFIX) + 6],
        digest=api_token_digest(plain),
        created_at=now,
        expires_at=now + timedelta(days=lifetime_days),
    )
    return token, plain


@transaction.atomic
def api_token_revoke(*, token_id: int, by: Any) -> ApiToken:
    """Revoke one of the user's own tokens; revoking it again changes nothing."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=by).first()
    if token is None:
        raise ApiTokenNotFound(_("You have no API token with this id."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, token: str) -> Any | None:
    """The active user a live token belongs to, or None (unknown, revoked, expired)."""
    now = timezone.now()
    found = (
        ApiToken.objects.select_related("user")
        .filter(digest=api_token_digest(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if found is None or not found.user.is_active:
        return None
    # one write a minute at most, not one per request
    if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
