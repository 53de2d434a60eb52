import pytest


@pytest.fixture(autouse=True)
def _no_remembered_practice():
    """Each test starts with no practice measure remembered: ids and counters repeat across rolled-back tests."""
    from homestretch.insights.figures import forget_practice

    forget_practice()
    yield
    forget_practice()
