"""Grant decisions freeze their terms; the round's budget guard counts what grants still commit.

``terms`` of the existing grant decisions are filled from their round as it stands (the best
record there is of the terms at the time). ``decided_total`` becomes ``committed_total`` and is
recomputed (into the old column, before the rename): the amount in force of each grant (confirmed once confirmed, else granted) less what
a decided revocation took back, so that confirmation below the grant and revocation return the
difference to what the round can still grant.
"""

from django.db import migrations, models
from django.db.models import Q


def _terms(round_):
    return {
        "rate_numerator": round_.rate_numerator,
        "rate_denominator": round_.rate_denominator,
        "cap_per_trainee": round_.cap_per_trainee,
        "cap_per_company": round_.cap_per_company,
        "rounding_unit": round_.rounding_unit,
        "eligible_cost_types": sorted(round_.eligible_cost_types.values_list("code", flat=True)),
    }


def forwards(apps, schema_editor):
    SubsidyRound = apps.get_model("applications", "SubsidyRound")
    Decision = apps.get_model("applications", "Decision")
    Application = apps.get_model("applications", "Application")
    Revocation = apps.get_model("revocations", "Revocation")
    for round_ in SubsidyRound.objects.all():
        terms = _terms(round_)
        Decision.objects.filter(
            application__round=round_, kind__in=["grant", "amount_confirmation"], terms={}
        ).update(terms=terms)
        committed = 0
        granted = Application.objects.filter(round=round_, decided_amount__isnull=False).exclude(
            status="rejected"
        )
        revoked = dict(
            Revocation.objects.filter(application__round=round_)
            .filter(Q(status="ordered") | Q(status="settled"))
            .values_list("application_id", "revoked_amount")
        )
        for pk, decided, confirmed in granted.values_list(
            "pk", "decided_amount", "confirmed_amount"
        ):
            in_force = confirmed if confirmed is not None else decided
            committed += max(0, in_force - revoked.get(pk, 0))
        SubsidyRound.objects.filter(pk=round_.pk).update(decided_total=committed)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0007_letter_cost_type_names"),
        ("revocations", "0001_initial"),
        # history's snapshot copies the tracked tables column by column into their event
        # tables, so it runs before the columns change here and in history 0006
        ("history", "0002_snapshot"),
    ]

    # The data is written before the column is renamed: on PostgreSQL the history triggers of
    # the round's table still name ``decided_total`` until ``migrate`` reinstalls them at its
    # end, so an UPDATE of a round after the rename would fail there.
    operations = [
        migrations.AddField(
            model_name="decision",
            name="terms",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The round's rate, caps, rounding unit and eligible cost types as they "
                "were at the grant decision; the amount is confirmed by these, whatever the round "
                "says later.",
                verbose_name="terms of the grant",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="subsidyround",
            name="round_decided_within_budget",
        ),
        migrations.RenameField(
            model_name="subsidyround",
            old_name="decided_total",
            new_name="committed_total",
        ),
        migrations.AlterField(
            model_name="subsidyround",
            name="committed_total",
            field=models.PositiveBigIntegerField(
                default=0, editable=False, verbose_name="committed (yen)"
            ),
        ),
        migrations.AddConstraint(
            model_name="subsidyround",
            constraint=models.CheckConstraint(
                condition=models.Q(("committed_total__lte", models.F("budget"))),
                name="round_committed_within_budget",
            ),
        ),
    ]
