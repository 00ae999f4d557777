"""The shape of ``/api/kpis/`` (output only: the dashboard is read, never written)."""

from rest_framework import serializers


class KpiYearSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    count = serializers.IntegerField()
    cumulative = serializers.IntegerField()


class KpiSerializer(serializers.Serializer):
    key = serializers.ChoiceField(
        choices=["declarations", "commendations", "productivity_gains", "subsidy_users"]
    )
    label = serializers.CharField()
    unit = serializers.CharField()
    definition = serializers.CharField()
    total = serializers.IntegerField(help_text="Distinct entities over all fiscal years.")
    target = serializers.IntegerField(allow_null=True)
    period_value = serializers.IntegerField(
        allow_null=True, help_text="Counted in the target period (null: the KPI has no target)."
    )
    percent_of_target = serializers.FloatField(allow_null=True)
    years = KpiYearSerializer(many=True)


class RoundSerializer(serializers.Serializer):
    round_id = serializers.IntegerField()
    name = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    results_report_deadline = serializers.DateField()
    submitted = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    lapsed = serializers.IntegerField()
    decided = serializers.IntegerField()
    granted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    revoked = serializers.IntegerField()
    paid = serializers.IntegerField()
    approval_rate = serializers.FloatField(allow_null=True, help_text="granted / decided, 0..1")
    budget = serializers.IntegerField(help_text="Yen.")
    decided_amount = serializers.IntegerField(help_text="Granted, yen.")
    paid_amount = serializers.IntegerField(help_text="Paid (the payment ledger), yen.")
    confirmed_amount = serializers.IntegerField(help_text="Confirmed (額の確定), yen.")
    unspent_amount = serializers.IntegerField(
        help_text="不用額: granted but not confirmed, returned to the budget, yen."
    )
    revoked_amount = serializers.IntegerField(help_text="Taken back by revocations, yen.")
    repaid_amount = serializers.IntegerField(help_text="Repaid under repayment orders, yen.")
    committed_amount = serializers.IntegerField(
        help_text="Grants in force: granted − unspent − revoked, yen."
    )
    remaining_amount = serializers.IntegerField(
        help_text="Budget still available to grant (budget − grants in force), yen."
    )
    decided_share = serializers.FloatField(allow_null=True)
    paid_share = serializers.FloatField(allow_null=True)
    results_late = serializers.IntegerField()
    results_missing = serializers.IntegerField()
    outcomes_overdue = serializers.IntegerField()
    breaches = serializers.IntegerField()


class StageSerializer(serializers.Serializer):
    round_id = serializers.IntegerField(help_text="0: all rounds.")
    stage = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    p50 = serializers.FloatField(allow_null=True, help_text="Median, days.")
    p90 = serializers.FloatField(allow_null=True, help_text="90th percentile, days.")


class PeriodSerializer(serializers.Serializer):
    first = serializers.IntegerField()
    last = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField()
    today = serializers.DateField()
    period = PeriodSerializer()
    productivity_rule = serializers.CharField()
    kpis = KpiSerializer(many=True)
    rounds = RoundSerializer(many=True)
    stages = StageSerializer(many=True)
