"""`homestretch similar JOB_ID` (placeholder until written)."""


def similar() -> None:
    """The closed jobs most like this one, with what they taught."""
    raise NotImplementedError
