from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedTaskList(models.Model):
    """A user's named filters of the task list (the query string of the list's page)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_task_lists",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filters"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("saved task list")
        verbose_name_plural = _("saved task lists")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_task_list_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
