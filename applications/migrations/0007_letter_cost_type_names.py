"""The stored content of subsidy letters names each excluded cost's type, as new letters do.

Letters used to store only the cost type's code (``exam_fee``), which the PDF printed as is. A
letter now stores the type's Japanese and English names beside the code
(``applications.letters.computation_named``) and its template prints the name; a letter without
them refuses to render rather than print the code. This adds the names to the letters stored
before, so that reprinting one (a new version) shows 受験料, not ``exam_fee``. Only names are
added: amounts, codes and reasons stay as decided, and PDFs already rendered are left alone.
"""

from django.db import migrations


def names_add(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    CostType = apps.get_model("applications", "CostType")
    names = {
        cost_type.code: {"ja": cost_type.name_ja, "en": cost_type.name_en}
        for cost_type in CostType.objects.all()
    }
    for letter in Letter.objects.filter(programme="subsidy").order_by("pk"):
        computation = (letter.context or {}).get("computation")
        excluded = computation.get("excluded") if isinstance(computation, dict) else None
        missing = [
            line
            for line in excluded or []
            if "cost_type_name" not in line and line.get("cost_type") in names
        ]
        if not missing:
            continue
        for line in missing:
            line["cost_type_name"] = names[line["cost_type"]]
        letter.save(update_fields=["context"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_document_type_stage_labels"),
        ("letters", "0003_number_by_issue_fiscal_year"),
    ]

    operations = [migrations.RunPython(names_add, migrations.RunPython.noop)]
