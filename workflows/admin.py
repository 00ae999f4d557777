"""Admin actions that start workflows (the admin of lower apps cannot call up here)."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from core.errors import KofuError
from letters.admin import LetterAdmin
from letters.models import Letter

from .services import letter_batch_start


@admin.action(description=_("Regenerate the selected letters (background batch)"))
def regenerate_letters(modeladmin, request, queryset):
    try:
        batch = letter_batch_start(
            letter_ids=list(queryset.values_list("pk", flat=True)),
            description=str(_("Regenerate %(count)s letters") % {"count": queryset.count()}),
            by=request.user,
        )
    except KofuError as error:
        modeladmin.message_user(request, str(error.message), messages.ERROR)
        return None
    return redirect("letter_batch", pk=batch.pk)


class LetterAdminWithBatches(LetterAdmin):
    actions = [regenerate_letters]


admin.site.unregister(Letter)
admin.site.register(Letter, LetterAdminWithBatches)
