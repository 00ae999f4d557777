"""The auditor's two questions: which records, and which period of the log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from web.templatetags.kofu import when

from .selectors import PROGRAMMES, SearchFilters, round_choices, status_choices

ISO_DATE = ["%Y-%m-%d"]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Reference, company, 法人番号 or letter number"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "SUB-2026-000012", "size": 32}),
    )
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    round = forms.ChoiceField(label=_("Round"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("all"))]
        self.fields["programme"].choices = everything + list(PROGRAMMES.items())
        self.fields["round"].choices = everything + round_choices()
        programme = self.data.get("programme", "") if self.is_bound else ""
        self.fields["status"].choices = everything + status_choices(programme)

    def filters(self) -> SearchFilters | None:
        """What to search for: everything when nothing was asked, None when the question is
        not valid (its errors show on the form)."""
        if not self.is_bound:
            return SearchFilters()
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return SearchFilters(
            text=data["q"].strip(),
            programme=data["programme"],
            round=data["round"],
            status=data["status"],
        )


class PeriodForm(forms.Form):
    """``from`` and ``to`` (YYYY-MM-DD, days in Japan, both included)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        messages = {
            "required": _("Give the date as YYYY-MM-DD."),
            "invalid": _("Give the date as YYYY-MM-DD, e.g. 2026-04-01."),
        }
        self.fields["from"] = forms.DateField(
            label=_("From"),
            input_formats=ISO_DATE,
            error_messages=messages,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
        self.fields["to"] = forms.DateField(
            label=_("To"),
            input_formats=ISO_DATE,
            error_messages=messages,
            widget=forms.DateInput(attrs={"type": "date"}),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise ValidationError(
                _("The period starts (%(start)s) after it ends (%(end)s).")
                % {"start": when(start), "end": when(end)},
                code="period_reversed",
            )
        return data

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return self.cleaned_data["from"], self.cleaned_data["to"]
