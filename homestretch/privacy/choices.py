from __future__ import annotations

from django.db import models


class ErasureCause(models.TextChoices):
    REQUEST = "request", "On request"
    RETENTION = "retention", "Retention period over"
