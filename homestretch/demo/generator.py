"""CONTRACT (to be implemented):

    generate(scale: str, seed: int, *, now: datetime, progress: Progress | None = None) -> DemoSummary

Fills an empty database with the demo agency. Raises DatabaseNotEmpty when pipeline data exists.
"""
