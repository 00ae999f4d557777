"""Letters: numbered in the transaction of their decision, rendered after commit, immutable."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Company
from audit.services import event_record, subject_ref
from core.dates import fiscal_year_of, today_jst
from core.roles import Role

from . import rendering
from .exceptions import InvalidState, LetterNotReady
from .models import Letter, LetterBatch, LetterSequence, letter_series

_INCREMENT = (
    f"UPDATE {LetterSequence._meta.db_table} SET last_number = last_number + 1 "  # noqa: S608
    "WHERE series = %s AND fiscal_year = %s RETURNING last_number"
)


def number_next(series: str, fiscal_year: int) -> int:
    """The next number of ``series`` in ``fiscal_year``: the UPDATE row-locks the sequence until
    commit, so concurrent letters queue, and a rolled-back letter gives its number back (no
    gaps, no duplicates). One statement in the usual case (PostgreSQL and SQLite both support
    RETURNING)."""
    with connection.cursor() as cursor:
        cursor.execute(_INCREMENT, [series, fiscal_year])
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    try:
        with transaction.atomic():
            LetterSequence.objects.create(series=series, fiscal_year=fiscal_year, last_number=1)
    except IntegrityError:  # a concurrent first letter of the year created the sequence
        return number_next(series, fiscal_year)
    return 1


@transaction.atomic
def letter_prepare(
    *,
    kind: str,
    programme: str,
    subject: models.Model,
    company: Company,
    language: str,
    context: dict[str, Any],
    by: Any | None = None,
) -> Letter:
    """Number a letter and store what it says; its PDF is rendered after commit.

    The letter is dated today (JST) and numbered in its programme's series in the fiscal year
    of that date, whatever fiscal year the round it is about belongs to: the number and the
    printed date identify one letter."""
    from .tasks import letter_render

    issued_on = today_jst()
    series = letter_series(programme)
    fiscal_year = fiscal_year_of(issued_on)
    letter = Letter(
        kind=kind,
        programme=programme,
        series=series,
        fiscal_year=fiscal_year,
        number=number_next(series, fiscal_year),
        company=company,
        language=language,
        created_by=by,
    )
    letter.subject_type, letter.subject_id = subject_ref(subject)
    letter.context = {
        **context,
        "number_text": letter.number_text,
        "issued_on": issued_on.isoformat(),
        "issuer": settings.KOFU_ISSUER,
    }
    letter.save()
    transaction.on_commit(lambda: letter_render.delay(letter.pk))
    return letter


PREVIEW_MARK = {"ja": "見本（未発行）", "en": "SPECIMEN — NOT ISSUED"}


def letter_preview(*, kind: str, language: str, context: dict[str, Any]) -> bytes:
    """The letter a decision would issue, before it is made: dated today, unnumbered (the
    number is taken when it is issued), marked as a specimen on every page, stored nowhere."""
    pending = {"ja": "（発行時に付番）", "en": "(numbered on issue)"}
    return rendering.letter_pdf(
        kind,
        language,
        {
            **context,
            "number_text": pending.get(language, pending["ja"]),
            "issued_on": today_jst().isoformat(),
            "issuer": settings.KOFU_ISSUER,
        },
        watermark=PREVIEW_MARK.get(language, PREVIEW_MARK["ja"]),
    )


def letter_render_file(*, letter_id: int) -> Letter:
    """Render and store the PDF once; a second run (a redelivered task) changes nothing."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        if letter.status == Letter.Status.ISSUED:
            return letter
        pdf = rendering.letter_pdf(letter.kind, letter.language, letter.context)
        letter.sha256 = hashlib.sha256(pdf).hexdigest()
        letter.size = len(pdf)
        name = f"{letter.number:06d}-v{letter.version}-{letter.sha256[:16]}.pdf"
        letter.file.save(name, ContentFile(pdf), save=False)
        letter.status = Letter.Status.ISSUED
        letter.issued_at = timezone.now()
        letter.save()
        event_record(
            (letter.subject_type, letter.subject_id),
            "letter_issued",
            by=None,
            role=Role.SYSTEM,
            data={
                "letter_id": letter.pk,
                "kind": letter.kind,
                "number": letter.number_text,
                "version": letter.version,
                "sha256": letter.sha256,
                "language": letter.language,
            },
        )
    return letter


@transaction.atomic
def letter_regenerate(*, letter_id: int, by: Any, render_after_commit: bool = True) -> Letter:
    """A new version of an issued letter: the same letter reprinted, with its number, date,
    fiscal year and content (the number says 第n版); the old one stays."""
    from .tasks import letter_render

    latest = Letter.objects.select_for_update().get(pk=letter_id)
    while hasattr(latest, "next_version"):
        latest = latest.next_version
    if latest.status != Letter.Status.ISSUED:
        raise LetterNotReady(_("This letter is still being generated; try again in a moment."))
    letter = Letter.objects.create(
        kind=latest.kind,
        programme=latest.programme,
        series=latest.series,
        fiscal_year=latest.fiscal_year,
        number=latest.number,
        version=latest.version + 1,
        previous=latest,
        number_clash_with=latest.number_clash_with,
        subject_type=latest.subject_type,
        subject_id=latest.subject_id,
        company=latest.company,
        language=latest.language,
        context=latest.context,
        created_by=by,
    )
    letter.context = {**latest.context, "number_text": letter.number_text}
    letter.save(update_fields=["context"])
    event_record(
        (letter.subject_type, letter.subject_id),
        "letter_regenerate",
        by=by,
        role=Role.STAFF,
        data={"letter_id": letter.pk, "previous_id": latest.pk, "version": letter.version},
    )
    if render_after_commit:
        transaction.on_commit(lambda: letter_render.delay(letter.pk))
    return letter


@transaction.atomic
def letter_batch_create(*, letter_ids: list[int], description: str, by: Any) -> LetterBatch:
    """A batch that regenerates these letters; a job runs it (see letter_batch_run)."""
    letters = list(
        Letter.objects.filter(
            pk__in=letter_ids, status=Letter.Status.ISSUED, next_version__isnull=True
        )
    )
    if not letters:
        raise InvalidState(_("Choose at least one issued letter (its latest version)."))
    batch = LetterBatch.objects.create(description=description, total=len(letters), created_by=by)
    batch.letters.set(letters)
    return batch


def letter_batch_run(*, batch_id: int) -> LetterBatch:
    """Regenerate each letter of the batch, committing after each so progress shows; a rerun
    (a redelivered job) skips the letters already done."""
    LetterBatch.objects.filter(pk=batch_id).update(status=LetterBatch.Status.RUNNING)
    batch = LetterBatch.objects.get(pk=batch_id)
    for letter in batch.letters.order_by("pk"):
        if not hasattr(letter, "next_version"):
            with transaction.atomic():
                new = letter_regenerate(
                    letter_id=letter.pk, by=batch.created_by, render_after_commit=False
                )
                letter_render_file(letter_id=new.pk)
        done = batch.letters.filter(next_version__isnull=False).count()
        LetterBatch.objects.filter(pk=batch_id).update(done=done)
    LetterBatch.objects.filter(pk=batch_id).update(
        status=LetterBatch.Status.DONE, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch
