"""`homestretch model evaluate` (placeholder until written)."""


def evaluate() -> None:
    """Evaluate what predicts losses in a CSV of past outcomes."""
    raise NotImplementedError
