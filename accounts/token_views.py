"""The page where a user creates, lists and revokes their API tokens."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.errors import KofuError

from .selectors import api_token_list_for_user
from .services import api_token_create, api_token_revoke


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("Which program uses it, e.g. “accounting export”."),
    )
    lifetime_days = forms.IntegerField(label=gettext_lazy("Expires after (days)"), min_value=1)


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    plain = None
    form = ApiTokenForm(initial={"lifetime_days": settings.KOFU_API_TOKEN_DEFAULT_DAYS})
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                _token, plain = api_token_create(user=request.user, **form.cleaned_data)
            except KofuError as error:
                form.add_error(error.field, str(error.message))
            else:
                form = ApiTokenForm(initial={"lifetime_days": settings.KOFU_API_TOKEN_DEFAULT_DAYS})
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "plain": plain,
            "tokens": api_token_list_for_user(request.user),
            "max_days": settings.KOFU_API_TOKEN_MAX_DAYS,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = api_token_revoke(token_id=pk, by=request.user)
    except KofuError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("tokens:index")


urlpatterns = [
    path("", tokens, name="index"),
    path("<int:pk>/revoke/", token_revoke, name="revoke"),
]
