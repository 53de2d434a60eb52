from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    CHAT = "chat", "Chat webhook"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"  # recorded, not yet claimed (or a failed attempt waiting for another)
    SENDING = "sending", "Sending"  # claimed by one process; it marks the row sent or failed
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"  # gave up after the last attempt; last_error says why
    EMPTY = "empty", "Nothing due"  # the agenda was empty: nothing to send
    # Handed over and the answer never came (a timeout after sending): it may have arrived, so it is
    # never sent again (homestretch.integrations.delivery); last_error says what happened.
    UNKNOWN = "unknown", "Outcome unknown"
