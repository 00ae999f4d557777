"""One event table per key record: a row per insert and per update (bulk ``update()`` and raw
SQL included), written by PostgreSQL triggers with the whole row after the change and the
request/job context. The value before an update is the previous row of the same record (a
``snapshot`` row stands for the state when history started; see migration 0002).

On SQLite the tables exist but stay empty: the triggers are PostgreSQL-only.
"""

from __future__ import annotations

import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import (
    ActualCost,
    Application,
    Decision,
    Document,
    SubsidyRound,
    TrainingLine,
)
from awards.models import AwardRound, Nomination
from declarations.models import Declaration
from payments.models import Payable, PayeeAccount, PaymentBatch
from revocations.models import Revocation
from screening.models import CommitteeDecision, ConflictOfInterest, ReviewAssignment, Score


def _events_of(tracked: type[models.Model], name: str) -> type[models.Model]:
    """The abstract event model of ``tracked``: insert and update rows with the request id and
    user in ``pgh_context`` (JSON). The record's pk is the copied ``id``. Foreign keys are
    kept as plain ids: relations from these tables to every app would make each later
    migration re-render them all (a test database took twice as long to build). ``name`` is
    the table's name for people, for one row and for many ("subsidy round history")."""
    plain_ids = {
        field.name: models.BigIntegerField(db_column=field.column, null=True, blank=True)
        for field in tracked._meta.local_fields
        if field.is_relation
    }
    return pghistory.create_event_model(
        tracked,
        pghistory.InsertEvent(),
        # a save that changes nothing but ``updated_at`` is no change
        pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude_auto=True)),
        context_field=pghistory.ContextJSONField(),
        obj_field=None,
        app_label="history",
        attrs=plain_ids,
        meta={
            "indexes": [models.Index(fields=["id", "pgh_id"], name="%(class)s_record")],
            "verbose_name": name,
            "verbose_name_plural": name,
        },
    )


class SubsidyRoundEvent(_events_of(SubsidyRound, _("subsidy round history"))):
    pass


class ApplicationEvent(_events_of(Application, _("application history"))):
    pass


class TrainingLineEvent(_events_of(TrainingLine, _("training line history"))):
    pass


class DocumentEvent(_events_of(Document, _("application document history"))):
    pass


class DecisionEvent(_events_of(Decision, _("decision history"))):
    pass


class ActualCostEvent(_events_of(ActualCost, _("actual cost history"))):
    pass


class DeclarationEvent(_events_of(Declaration, _("promotion declaration history"))):
    pass


class AwardRoundEvent(_events_of(AwardRound, _("award round history"))):
    pass


class NominationEvent(_events_of(Nomination, _("award nomination history"))):
    pass


class ScoreEvent(_events_of(Score, _("score history"))):
    pass


class ReviewAssignmentEvent(_events_of(ReviewAssignment, _("review assignment history"))):
    pass


class ConflictOfInterestEvent(_events_of(ConflictOfInterest, _("conflict of interest history"))):
    pass


class CommitteeDecisionEvent(_events_of(CommitteeDecision, _("committee decision history"))):
    pass


class PayeeAccountEvent(_events_of(PayeeAccount, _("payee account history"))):
    pass


class PayableEvent(_events_of(Payable, _("payable history"))):
    pass


class PaymentBatchEvent(_events_of(PaymentBatch, _("payment batch history"))):
    pass


class RevocationEvent(_events_of(Revocation, _("revocation history"))):
    pass
