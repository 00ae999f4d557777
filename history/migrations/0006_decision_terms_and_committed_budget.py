from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0005_payee_account_event_retired"),
        ("applications", "0008_decision_terms_and_committed_budget"),
    ]

    operations = [
        migrations.RenameField(
            model_name="subsidyroundevent",
            old_name="decided_total",
            new_name="committed_total",
        ),
        migrations.AlterField(
            model_name="subsidyroundevent",
            name="committed_total",
            field=models.PositiveBigIntegerField(
                default=0, editable=False, verbose_name="committed (yen)"
            ),
        ),
        migrations.AddField(
            model_name="decisionevent",
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
    ]
