"""Derived figures from one worker result: rates, ratios, queries per transition and per step,
and where the statements go."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

TARGET_RATIO = 0.40
TARGET_QUERIES = 8.0
CONTROL = ("BEGIN / COMMIT", "SAVEPOINT / RELEASE")
CATEGORIES = (
    ("viewflow_", "viewflow process and task rows"),
    ("workflows_", "viewflow process and task rows"),
    ("audit_", "audit trail"),
    ("notifications_", "notification outbox and delivery"),
    ("auth_", "users: roles, permissions, profiles"),
    ("accounts_", "users: roles, permissions, profiles"),
)


ENGINE = "viewflow engine (tasks, process, lock, gateways)"
ENGINE_SAVEPOINTS = "SAVEPOINT/RELEASE of viewflow's nested atomic blocks"
SENDERS = (
    ("outermost transaction.atomic", "transaction start (BEGIN)"),
    ("savepoint: viewflow/", ENGINE_SAVEPOINTS),
    ("savepoint: ", "SAVEPOINT/RELEASE of Kofu's nested @transaction.atomic"),
    ("viewflow/", ENGINE),
    ("django/contrib/auth/", "Django permission checks (viewflow can_assign)"),
    ("django_fsm/", "django-fsm status UPDATE"),
    ("audit/", "audit trail INSERT"),
    ("notifications/", "notifications (outbox row, delivery)"),
    ("core/roles.py", "roles and company look-ups of the actor"),
    ("accounts/", "roles and company look-ups of the actor"),
    ("workflows/", "Kofu flow and orchestration (workflows/)"),
)


def sender_of(origin: str) -> str:
    for prefix, sender in SENDERS:
        if origin.startswith(prefix):
            return sender
    return "Kofu domain services (applications, screening, payments)"


def senders_per_transition(result: dict[str, Any]) -> dict[str, float]:
    """Statements per transition grouped by the code that sent them."""
    transitions = result["real"]["transitions"] / result["applications"]
    totals: Counter[str] = Counter()
    for row in result.get("origins", []):
        totals[sender_of(row["origin"])] += row["queries"]
    return {sender: count / transitions for sender, count in totals.most_common()}


def category_of(kind: str) -> str:
    if kind in CONTROL:
        return f"transaction control ({kind})"
    table = kind.split()[1] if " " in kind else kind
    for prefix, category in CATEGORIES:
        if table.startswith(prefix):
            return category
    return "domain rows (application, lines, documents, decisions, payment)"


@dataclass(frozen=True)
class Step:
    name: str
    ms: float
    share: float
    queries: float
    kinds: list[tuple[str, float]]


@dataclass(frozen=True)
class Figures:
    applications: int
    transitions: float
    floor_transitions: float
    real_rate: float
    floor_rate: float
    real_ms: float
    real_cpu_ms: float
    floor_ms: float
    floor_cpu_ms: float
    real_queries: float
    floor_queries: float
    draft_rate: float
    draft_queries: float
    draft_ms: float
    mails: float
    kinds: Counter[str]
    floor_kinds: Counter[str]
    steps: list[Step]
    chunk_ratios: list[float]

    @property
    def ratio(self) -> float:
        return self.real_rate / self.floor_rate

    @property
    def median_chunk_ratio(self) -> float:
        """Less sensitive than ``ratio`` to other load on the machine during one chunk."""
        return statistics.median(self.chunk_ratios) if self.chunk_ratios else self.ratio

    @property
    def real_per_transition(self) -> float:
        return self.real_queries / self.transitions

    @property
    def floor_per_transition(self) -> float:
        return self.floor_queries / self.floor_transitions

    @property
    def real_data_per_transition(self) -> float:
        return _without_control(self.kinds) / self.transitions

    @property
    def floor_data_per_transition(self) -> float:
        return _without_control(self.floor_kinds) / self.floor_transitions

    @property
    def target_met(self) -> bool:
        return self.ratio >= TARGET_RATIO and self.real_per_transition <= TARGET_QUERIES

    def categories(self) -> list[tuple[str, float]]:
        totals: Counter[str] = Counter()
        for kind, count in self.kinds.items():
            totals[category_of(kind)] += count
        return [(name, count / self.transitions) for name, count in totals.most_common()]

    def locks(self) -> float:
        return sum(count for kind, count in self.kinds.items() if kind.endswith("FOR UPDATE"))


def _without_control(kinds: Counter[str]) -> float:
    return sum(count for kind, count in kinds.items() if kind not in CONTROL)


def _per_process(kinds: dict[str, int], processes: int) -> Counter[str]:
    return Counter({kind: count / processes for kind, count in kinds.items()})


def _steps(result: dict[str, Any], processes: int) -> list[Step]:
    seconds: dict[str, float] = result["real"]["step_seconds"]
    total = sum(seconds.values()) or 1.0
    steps = []
    for name, spent in seconds.items():
        kinds = Counter(result["queries_by_kind"].get(name, {}))
        steps.append(
            Step(
                name=name,
                ms=spent * 1000 / processes,
                share=spent / total,
                queries=result["queries_by_step"].get(name, 0) / processes,
                kinds=[(kind, count / processes) for kind, count in kinds.most_common(3)],
            )
        )
    return steps


def figures_of(result: dict[str, Any]) -> Figures:
    processes = result["applications"]
    real, floor, draft = result["real"], result["floor"], result["draft"]
    step_names = list(real["step_seconds"])
    kinds: Counter[str] = Counter()
    for name in step_names:
        kinds.update(result["queries_by_kind"].get(name, {}))
    return Figures(
        applications=processes,
        transitions=real["transitions"] / processes,
        floor_transitions=floor["transitions"] / processes,
        real_rate=processes / real["wall_s"],
        floor_rate=processes / floor["wall_s"],
        real_ms=real["wall_s"] * 1000 / processes,
        real_cpu_ms=real["cpu_s"] * 1000 / processes,
        floor_ms=floor["wall_s"] * 1000 / processes,
        floor_cpu_ms=floor["cpu_s"] * 1000 / processes,
        real_queries=sum(result["queries_by_step"].get(name, 0) for name in step_names) / processes,
        floor_queries=floor["queries"] / processes,
        draft_rate=processes / draft["wall_s"],
        draft_queries=draft["queries"] / processes,
        draft_ms=draft["wall_s"] * 1000 / processes,
        mails=real["mails"] / processes,
        kinds=_per_process(kinds, processes),
        floor_kinds=_per_process(result["queries_by_kind"].get("floor", {}), processes),
        steps=_steps(result, processes),
        chunk_ratios=[floor_s / real_s for real_s, floor_s in result.get("chunks", []) if real_s],
    )
