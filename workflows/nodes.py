"""A Celery job node for viewflow's open-source edition (its own Celery node is commercial).

The task row moves NEW → SCHEDULED when the flow reaches the node, and the Celery task is
enqueued after commit with the task row's id. The worker then calls ``job_run``: start the
task under the flow lock, do the work outside it (so the work may commit as it goes and show
progress), and complete the task under the lock. A redelivered message finds the task already
done and does nothing; one delivered while the first still runs re-enters STARTED, so the work
itself must be safe to repeat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from viewflow import this
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.models import Task
from viewflow.workflow.nodes import AbstractJob, AbstractJobActivation, Split
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.status import STATUS


class CeleryJobActivation(AbstractJobActivation):
    @Activation.status.transition(source=STATUS.NEW, target=STATUS.SCHEDULED)
    def activate(self) -> None:
        self.task.save()
        celery_task, task_pk = self.flow_task.celery_task, self.task.pk
        transaction.on_commit(
            lambda: celery_task.apply_async(args=[task_pk], task_id=self.task.external_task_id)
        )

    @Activation.status.transition(source=[STATUS.NEW, STATUS.SCHEDULED], target=STATUS.CANCELED)
    def cancel(self) -> None:
        self.task.save()


class CeleryJob(AbstractJob):
    """``CeleryJob(some_shared_task)``: the Celery task receives the viewflow task's id."""

    activation_class = CeleryJobActivation

    def __init__(self, celery_task: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.celery_task = celery_task


def job_run(task_id: int, work: Callable[[Any], None]) -> bool:
    """Run a job's work for the viewflow task ``task_id``; False if it was already done."""
    task = Task.objects.get(pk=task_id)
    if task.status in (STATUS.DONE, STATUS.CANCELED):
        return False
    with task.activation() as activation:
        activation.start()
        process = activation.process
    try:
        work(process)
    except Exception as error:
        with task.activation() as activation:
            activation.error(error)
        raise
    with task.activation() as activation:
        activation.execute()
    return True


class ForEachActivation(SplitActivation):
    @Activation.status.super()
    def activate(self) -> None:
        for node, _case, _data_source in self.flow_task._branches:
            for data in self.flow_task._data_source(self):
                self.next_tasks.append((node, data))
        if not self.next_tasks:
            raise FlowRuntimeError(f"{self.flow_task.name}: no item to run in parallel")


class ForEach(Split):
    """A parallel split with one task of the next node per item of ``data_source(activation)``,
    each carrying its item as ``task.data`` (e.g. one review task per reviewer); a Join after
    them waits for all. (viewflow's open-source Split creates each branch once.)"""

    activation_class = ForEachActivation

    def __init__(self, data_source: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._data_source = data_source

    def _resolve(self, instance: Any) -> None:
        super()._resolve(instance)
        self._data_source = this.resolve(instance, self._data_source)
