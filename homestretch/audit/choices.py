from django.db import models


class Kind(models.TextChoices):
    """What an audit entry records. A fixed set: the page and the API filter on it."""

    SIGN_IN = "sign-in", "Sign-in"
    SIGN_IN_FAILED = "sign-in failed", "Failed sign-in"
    ROLE_CHANGED = "role changed", "Role changed"
    TEAM_CHANGED = "team changed", "Team changed"
    TOKEN_CREATED = "token created", "API token created"
    TOKEN_REVOKED = "token revoked", "API token revoked"
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    DELETED = "deleted", "Deleted"
    VIEWED_BRIEF = "viewed brief", "Viewed a brief"
    VIEWED_EXPORT = "viewed export", "Viewed an export"
    VIEWED_CLIENT_REPORT = "viewed client report", "Viewed a client report"
    ERASED = "erased", "Erased"
    IMPORTED = "imported", "Imported in bulk"
