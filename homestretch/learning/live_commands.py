"""`homestretch model train` and `homestretch model status` (placeholders until written)."""


def train() -> None:
    """Fit the live risk model on the organisation's history."""
    raise NotImplementedError


def status() -> None:
    """Which weights are live, on how much history, and how they did in backtest."""
    raise NotImplementedError
