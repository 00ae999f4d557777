"""Letters are numbered per series in the fiscal year of their issue date, not the round's.

Until now a letter was numbered in its programme's sequence for the fiscal year of the round it
is about, while it is dated the day it is issued: a FY2025 round's letter issued in FY2026 could
carry the number of a FY2026 round's letter of the same date. From here on the number is drawn
from (series, fiscal year of the issue date), and (series, fiscal year, number) is unique.

What this migration does to the letters already there:

- ``series`` becomes the prefix the letter printed (``KOFU_LETTER_PREFIXES``), and
  ``fiscal_year`` the fiscal year (April–March) of the date it printed (``issued_on``): the
  register entry the letter actually shows.
- Where several original letters now share (series, fiscal year, number), one keeps the number:
  the one drawn from that year's own sequence (its round's year was its issue year), else the
  first created. Of the others:

  - a letter still being generated (pending) has not been printed or sent, so renumbering it is
    safe: it takes the next free number of its series and year, and its stored ``number_text``
    follows;
  - an issued letter is NOT renumbered: the company holds a PDF with that number, its hash is in
    the audit trail, and changing the row would make the register disagree with the document.
    It is marked ``number_clash_with`` the letter that keeps the number (as are its versions), so
    it is exempt from the uniqueness constraints and the office can find it and correct it by a
    new letter. New letters never get such a mark.

- Each letter series' sequence restarts from the register: for every (series, fiscal year), its
  last number is the highest number any letter of that series and year carries, so no new letter
  repeats a number already printed in that year. The old sequences keyed by programme and round
  year are dropped; other registers (the declarations' registration numbers) are kept as they are.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import migrations, models


def fiscal_year_of(day):
    return day.year if day.month >= 4 else day.year - 1


def _issued_on(letter):
    value = (letter.context or {}).get("issued_on")
    if value:
        return dt.date.fromisoformat(value)
    return (letter.created_at + dt.timedelta(hours=9)).date()  # JST


def letters_renumber_by_issue_year(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    LetterSequence = apps.get_model("letters", "LetterSequence")
    prefixes = settings.KOFU_LETTER_PREFIXES
    letters = list(Letter.objects.order_by("created_at", "pk"))
    by_id = {letter.pk: letter for letter in letters}

    def root(letter):
        while letter.previous_id is not None:
            letter = by_id[letter.previous_id]
        return letter

    round_year = {letter.pk: letter.fiscal_year for letter in letters}
    highest = defaultdict(int)
    for letter in letters:
        letter.series = prefixes.get(letter.programme, letter.programme)
        letter.fiscal_year = fiscal_year_of(_issued_on(root(letter)))
        key = (letter.series, letter.fiscal_year)
        highest[key] = max(highest[key], letter.number)

    groups = defaultdict(list)
    for letter in letters:
        if letter.previous_id is None:
            groups[(letter.series, letter.fiscal_year, letter.number)].append(letter)
    clash_with = {}
    for (series, fiscal_year, _number), originals in groups.items():
        if len(originals) < 2:
            continue
        own_year = [o for o in originals if round_year[o.pk] == fiscal_year]
        keeper = (own_year or originals)[0]
        for other in originals:
            if other is keeper:
                continue
            if other.status == "pending":
                highest[(series, fiscal_year)] += 1
                other.number = highest[(series, fiscal_year)]
                other.context = {**other.context, "number_text": f"{series}第{other.number}号"}
            else:
                clash_with[other.pk] = keeper.pk

    for letter in letters:
        letter.number_clash_with_id = clash_with.get(root(letter).pk)
        if letter.previous_id is not None:
            letter.number = root(letter).number
        letter.save(
            update_fields=["series", "fiscal_year", "number", "context", "number_clash_with"]
        )

    LetterSequence.objects.filter(series__in=list(prefixes)).delete()
    for (series, fiscal_year), last in highest.items():
        LetterSequence.objects.update_or_create(
            series=series, fiscal_year=fiscal_year, defaults={"last_number": last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0002_more_letter_kinds"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="letter", name="letter_number_version_unique"),
        migrations.RemoveConstraint(model_name="lettersequence", name="letter_sequence_unique"),
        migrations.RenameField(model_name="lettersequence", old_name="programme", new_name="series"),
        migrations.AddConstraint(
            model_name="lettersequence",
            constraint=models.UniqueConstraint(
                fields=("series", "fiscal_year"), name="letter_sequence_unique"
            ),
        ),
        migrations.AddField(
            model_name="letter",
            name="series",
            field=models.CharField(default="", max_length=30),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="letter",
            name="number_clash_with",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="letters.letter",
            ),
        ),
        migrations.RunPython(letters_renumber_by_issue_year, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.UniqueConstraint(
                condition=models.Q(("number_clash_with__isnull", True), ("previous__isnull", True)),
                fields=("series", "fiscal_year", "number"),
                name="letter_number_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.UniqueConstraint(
                condition=models.Q(("number_clash_with__isnull", True)),
                fields=("series", "fiscal_year", "number", "version"),
                name="letter_number_version_unique",
            ),
        ),
    ]
