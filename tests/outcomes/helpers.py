"""What the outcome tests share besides fixtures."""

from __future__ import annotations

# ひたちテック's demo baselines (fixtures/demo_outcomes.py) of the measures the test round asks for
MEASURES = ["overtime_hours", "annual_sales", "qualifications"]
BASELINES = {"overtime_hours": "24.5", "annual_sales": "480000000", "qualifications": "3"}


def values(**overrides: str) -> dict[str, str]:
    """A complete set of reported values: less overtime, more sales and qualifications."""
    return {
        "overtime_hours": "20.0",
        "annual_sales": "500000000",
        "qualifications": "5",
        **overrides,
    }
