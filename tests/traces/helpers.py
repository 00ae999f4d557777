"""What the traces tests share besides fixtures."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

# The prefecture's account on the bank transfer file (payments need one to pay).
ORIGINATOR = {
    "code": "0000000001",
    "name": "ｲﾊﾞﾗｷｹﾝ",
    "bank_code": "0130",
    "branch_code": "004",
    "account_type": 1,
    "account_number": "1234567",
}
RECUSAL_REASON = "取引先の役員を務めている"


def browser(user, language: str = "en") -> Client:
    """A signed-in client that asks for pages in ``language``."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client
