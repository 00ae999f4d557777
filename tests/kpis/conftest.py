import pytest


@pytest.fixture(autouse=True)
def _live_dashboard(settings):
    """Every test computes the dashboard afresh (the page shares it for a few seconds)."""
    settings.KOFU_KPI_CACHE_SECONDS = 0
