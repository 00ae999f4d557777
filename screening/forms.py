"""Forms of the committee's staff pages. They only shape the input; the rules of a committee
(pool large enough, deadline ahead, …) are the services', whose refusals land on the fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import users_with_role
from core.dates import JST
from core.errors import KofuError
from core.roles import Role

from .models import Rubric

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
