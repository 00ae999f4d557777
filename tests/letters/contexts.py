"""Realistic letter contexts, as applications.letters and letters.services build them."""

from __future__ import annotations

from typing import Any

ISSUER = {
    "title": "茨城県知事",
    "title_en": "Governor of Ibaraki Prefecture",
    "name": "大井川　和彦",
    "office": "産業戦略部 労働政策課",
    "office_en": "Labour Policy Division",
    "phone": "029-301-3645",
}
RECIPIENT = {
    "company": "株式会社ひたち&テック<北>",
    "representative": "山田　太郎",
    "address": "〒310-0852 茨城県水戸市笠原町978番地6",
    "corporate_number": "7000012050002",
}
COMPUTATION = {
    "eligible_cost": 1_150_000,
    "trainees": [
        {
            "trainee": "佐藤 花子",
            "eligible_cost": 240_000,
            "subsidy_before_cap": 120_000,
            "subsidy": 100_000,
        },
        {
            "trainee": "鈴木 一郎",
            "eligible_cost": 180_000,
            "subsidy_before_cap": 90_000,
            "subsidy": 90_000,
        },
        {
            "trainee": "高橋 次郎",
            "eligible_cost": 375_000,
            "subsidy_before_cap": 187_500,
            "subsidy": 100_000,
        },
        {
            "trainee": "田中 美咲",
            "eligible_cost": 355_000,
            "subsidy_before_cap": 177_500,
            "subsidy": 100_000,
        },
    ],
    "total_before_company_cap": 390_000,
    "total_after_company_cap": 390_000,
    "amount": 390_000,
    "excluded": [
        {
            "trainee": "鈴木 一郎",
            "cost_type": "travel",
            "cost_type_name": {"ja": "旅費", "en": "Travel"},
            "amount": 12_000,
            "incurred_on": "2026-11-02",
            "completed": True,
            "reason": "cost_type_not_eligible",
        },
    ],
}
RULES = {
    "rate": "1/2",
    "cap_per_trainee": 100_000,
    "cap_per_company": 1_000_000,
    "rounding_unit": 1_000,
}


def base(number: int = 12) -> dict[str, Any]:
    return {
        "number_text": f"産人第{number}号",
        "issued_on": "2026-11-24",
        "issuer": dict(ISSUER),
        "recipient": dict(RECIPIENT),
        "reference": "SUB-2026-000001",
        "programme": "令和8年度人材育成支援補助金（第1回）",
        "legal_basis": "人材育成支援補助金交付要綱第8条",
        "applied_on": "2026-10-01",
    }


def context(kind: str) -> dict[str, Any]:
    """A complete context for ``kind``."""
    return {**base(), **PER_KIND[kind]}


PER_KIND: dict[str, dict[str, Any]] = {
    "grant_decision": {
        **RULES,
        "amount": 390_000,
        "decided_amount": 390_000,
        "computation": COMPUTATION,
        "conditions": "補助事業の実施状況について、県が求めたときは速やかに報告すること。",
        "results_report_deadline": "2027-02-26",
    },
    "non_grant": {
        "reason": "申請時点で、補助の要件であるリスキリング推進宣言の登録がされていないため。\n"
        "対象講座の受講開始日が交付決定日より前であるため。",
    },
    "correction": {
        "items": [
            "支出内訳書の合計額が見積書の金額と一致していません。",
            "受講予定者の雇用を証する書類（雇用契約書の写し等）が添付されていません。",
        ],
        "message": "補正後の書類は、電子申請システムから再提出してください。",
        "deadline": "2026-12-08",
    },
    "amount_confirmation": {
        **RULES,
        "amount": 378_000,
        "decided_amount": 390_000,
        "computation": {
            **COMPUTATION,
            "eligible_cost": 1_138_000,
            "total_before_company_cap": 378_000,
            "total_after_company_cap": 378_000,
            "amount": 378_000,
        },
    },
    "payment_notice": {"amount": 378_000, "paid_on": "2027-04-15"},
    "revocation": {
        "decision_number": "産人第12号",
        "decision_date": "2026-11-24",
        "reason": "実績報告書に添付された修了証が、対象講座を修了していない受講者について"
        "作成されたものであることが判明したため。",
        "revoked_amount": 378_000,
        "repayment_amount": 378_000,
        "repayment_deadline": "2027-08-31",
        "interest_rate": "10.95",
    },
}
KINDS = tuple(PER_KIND)
