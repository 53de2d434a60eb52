"""How large a request body may be: DATA_UPLOAD_MAX_MEMORY_SIZE, said the same way by the API's 413 problem
document and the web app's 413 page."""

from __future__ import annotations

from django.conf import settings


def body_limit_in_words() -> str:
    """The limit as people read it: 2,621,440 bytes is "2.5 MB" (megabytes of 1,048,576 bytes, as Django counts)."""
    return f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_048_576:g} MB"
