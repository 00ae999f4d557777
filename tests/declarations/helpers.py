"""Declarations built through the services, as the users would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.dates import today_jst
from declarations import services
from declarations.models import Declaration

GOALS = "全従業員がクラウド型業務システムを使いこなし、受発注業務の処理時間を3割削減する。"
MEASURES = "社内勉強会を月1回開催し、県認定講座の受講費を会社が負担する。"


def declaration_fields(**overrides: Any) -> dict[str, Any]:
    start = today_jst()
    return {
        "goals": GOALS,
        "measures": MEASURES,
        "responsible_name": "日立　一郎",
        "responsible_title": "代表取締役",
        "period_start": start,
        "period_end": start + dt.timedelta(days=2 * 365),
        **overrides,
    }


def draft_declaration(member: Any, **overrides: Any) -> Declaration:
    return services.declaration_create(by=member, **declaration_fields(**overrides))


def registered_declaration(member: Any, staff: Any, **overrides: Any) -> Declaration:
    declaration = draft_declaration(member, **overrides)
    services.declaration_submit(declaration_id=declaration.pk, by=member)
    return services.declaration_register(declaration_id=declaration.pk, by=staff)
