"""Rows that existed before history started get one ``snapshot`` row each, so that their first
recorded update still shows the value before it. PostgreSQL only (SQLite records no history)."""

from django.db import migrations

SNAPSHOT = "snapshot"
TRACKED = {
    "SubsidyRoundEvent": "applications.SubsidyRound",
    "ApplicationEvent": "applications.Application",
    "TrainingLineEvent": "applications.TrainingLine",
    "DocumentEvent": "applications.Document",
    "DecisionEvent": "applications.Decision",
    "ActualCostEvent": "applications.ActualCost",
    "DeclarationEvent": "declarations.Declaration",
    "AwardRoundEvent": "awards.AwardRound",
    "NominationEvent": "awards.Nomination",
    "ScoreEvent": "screening.Score",
    "ReviewAssignmentEvent": "screening.ReviewAssignment",
    "ConflictOfInterestEvent": "screening.ConflictOfInterest",
    "CommitteeDecisionEvent": "screening.CommitteeDecision",
    "PayeeAccountEvent": "payments.PayeeAccount",
    "PayableEvent": "payments.Payable",
    "PaymentBatchEvent": "payments.PaymentBatch",
    "RevocationEvent": "revocations.Revocation",
}


def snapshot_take(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, label in TRACKED.items():
        events = apps.get_model("history", name)
        tracked = apps.get_model(label)
        columns = ", ".join(
            f'"{field.column}"'
            for field in events._meta.concrete_fields
            if not field.name.startswith("pgh_")
        )
        schema_editor.execute(
            f'INSERT INTO "{events._meta.db_table}" (pgh_created_at, pgh_label, {columns}) '
            f'SELECT NOW(), %s, {columns} FROM "{tracked._meta.db_table}"',
            [SNAPSHOT],
        )


def snapshot_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRACKED:
        table = apps.get_model("history", name)._meta.db_table
        schema_editor.execute(f'DELETE FROM "{table}" WHERE pgh_label = %s', [SNAPSHOT])


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0001_initial"),
        ("applications", "0004_outcome_measures"),
        ("awards", "0001_initial"),
        ("declarations", "0001_initial"),
        ("payments", "0003_item_result_label"),
        ("revocations", "0001_initial"),
        ("screening", "0003_review_item_withdrawal"),
    ]

    operations = [migrations.RunPython(snapshot_take, snapshot_drop, elidable=True)]
