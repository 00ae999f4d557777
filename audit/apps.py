from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from celery.signals import task_postrun, task_prerun

        from .context import task_context_enter, task_context_exit
        from .receivers import receivers_connect

        receivers_connect()
        task_prerun.connect(
            lambda task_id, **kwargs: task_context_enter(task_id),
            weak=False,
            dispatch_uid="audit-task-context-enter",
        )
        task_postrun.connect(
            lambda task_id, **kwargs: task_context_exit(task_id),
            weak=False,
            dispatch_uid="audit-task-context-exit",
        )
