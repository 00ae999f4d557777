"""Forms of the committee's pages: the reviewer's scores and recusal, the staff's set-up. They
only shape the input; the rules of a committee (pool large enough, deadline ahead, scores on
the scale, …) are the services', whose refusals land on the fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.selectors import users_with_role
from core.dates import JST
from core.errors import KofuError
from core.roles import Role

from .models import Criterion, Rubric

# The services name a refused input by their own argument names; these differ from the form's.
SERVICE_FIELDS = {"deadline": "review_deadline"}


class JSTDateTimeField(forms.DateTimeField):
    """A datetime-local value is a wall-clock time in Japan, whatever the active time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value: Any) -> dt.datetime | None:
        with timezone.override(JST):
            return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        with timezone.override(JST):
            return super().prepare_value(value)


class UserChoiceLabel:
    """Users shown by name and login, so that two people with one name can be told apart."""

    def label_from_instance(self, user: Any) -> str:
        name = user.get_full_name()
        return f"{name} ({user.get_username()})" if name else user.get_username()


class ReviewerChoiceField(UserChoiceLabel, forms.ModelMultipleChoiceField):
    pass


class StaffChoiceField(UserChoiceLabel, forms.ModelChoiceField):
    pass


class PanelForm(forms.Form):
    """Set up the committee of a round: name, rubric, pool, K, deadline (JST), chair, quota."""

    name = forms.CharField(label=_("Name"), max_length=200)
    rubric = forms.ModelChoiceField(Rubric.objects.all(), label=_("Rubric"))
    reviewers = ReviewerChoiceField(
        queryset=users_with_role(Role.REVIEWER).order_by("username"),
        label=_("Reviewers"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    reviewers_per_item = forms.IntegerField(label=_("Reviewers per item"), min_value=1, initial=3)
    review_deadline = JSTDateTimeField(
        label=_("Review deadline (Japan time)"),
    )
    chair = StaffChoiceField(
        queryset=users_with_role(Role.STAFF).order_by("username"), label=_("Chair")
    )
    quota = forms.IntegerField(label=_("Places to award"), min_value=1)

    def refusal_show(self, error: KofuError) -> None:
        """Put a service's refusal next to the field it names (or above the form)."""
        field = SERVICE_FIELDS.get(error.field or "", error.field)
        self.add_error(field if field in self.fields else None, str(error.message))

    def panel_arguments(self) -> dict[str, Any]:
        """The cleaned input as ``committee.panel_create``'s keyword arguments."""
        return dict(self.cleaned_data)


# --- the reviewer's forms ----------------------------------------------------------------------


def _score_choice(score: int, meaning: str | None) -> Any:
    """A score as the reviewer chooses it: the number, and what it means when the rubric says."""
    if not meaning:
        return format_html('<span class="k-scale__score">{}</span>', score)
    return format_html(
        '<span class="k-scale__score">{}</span> <span class="k-scale__meaning">{}</span>',
        score,
        meaning,
    )


class ScoreForm(forms.Form):
    """One choice per criterion of the rubric, on its scale, each score beside its descriptor
    (what it means), and a comment."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Optional: why you gave these scores. The chair and programme staff read it, and so "
            "do this item's other reviewers once they have submitted their own."
        ),
    )

    def __init__(self, *args: Any, rubric: Rubric, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        low, high = rubric.scale_min, rubric.scale_max
        self.criteria: list[Criterion] = list(rubric.criteria.prefetch_related("descriptors"))
        for criterion in self.criteria:
            meanings = {
                descriptor.score: descriptor.text for descriptor in criterion.descriptors.all()
            }
            self.fields[self.field_name(criterion.code)] = forms.TypedChoiceField(
                label=criterion.label,
                choices=[(str(n), _score_choice(n, meanings.get(n))) for n in range(low, high + 1)],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "k-scale"}),
                error_messages={
                    "required": _("Choose a score from %(low)s to %(high)s.")
                    % {"low": low, "high": high},
                    "invalid_choice": _(
                        "A score is from %(low)s to %(high)s; %(value)s is outside the scale."
                    )
                    % {"low": low, "high": high, "value": "%(value)s"},
                },
            )
        self.order_fields([*(self.field_name(c.code) for c in self.criteria), "comment"])

    @staticmethod
    def field_name(code: str) -> str:
        return f"score_{code}"

    @property
    def scores(self) -> dict[str, int]:
        return {c.code: self.cleaned_data[self.field_name(c.code)] for c in self.criteria}

    def refusal_show(self, error: KofuError) -> None:
        """Put the service's refusal next to the criterion it names (``scores.<code>``), or
        above the form."""
        field = error.field or ""
        if field.startswith("scores."):
            field = self.field_name(field.removeprefix("scores."))
        self.add_error(field if field in self.fields else None, str(error.message))


class RecuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for recusing yourself"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: you work for, advise or hold shares in the company."),
    )

    def refusal_show(self, error: KofuError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, str(error.message))
