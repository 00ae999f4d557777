from typing import Any

from django import template

from workspace import queries

register = template.Library()


@register.simple_tag
def task_reference(task: Any) -> str:
    """The reference of a task row's subject, from the row's own columns."""
    return queries.reference_of(task)


@register.filter
def correction_subject(correction: Any) -> Any:
    """What a return for correction returned: the application, declaration or nomination."""
    for name in ("application", "declaration", "nomination"):
        if hasattr(correction, f"{name}_id"):
            return getattr(correction, name)
    return None
