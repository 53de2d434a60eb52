from django.db import models


class Role(models.TextChoices):
    """What a person may do. One organisation per installation, so roles are global."""

    ADMIN = "admin", "Admin"  # everything, users and settings included
    RECRUITER = "recruiter", "Recruiter"  # reads everything; changes their own team's pipeline
    VIEWER = "viewer", "Viewer"  # reads only
