from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    """Before/after values of every change to the key records (database triggers)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "history"
    verbose_name = _("data-change history")

    def ready(self) -> None:
        from celery.signals import task_postrun, task_prerun

        from .recording import task_history_enter, task_history_exit

        task_prerun.connect(
            lambda task_id, **kwargs: task_history_enter(task_id),
            weak=False,
            dispatch_uid="history-task-context-enter",
        )
        task_postrun.connect(
            lambda task_id, **kwargs: task_history_exit(task_id),
            weak=False,
            dispatch_uid="history-task-context-exit",
        )
