from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

from .choices import Role


class Team(models.Model):
    """A group of recruiters who share a pipeline and may change each other's applications."""

    name = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, email: str | None) -> User:
        # E-mails are stored lower-case; people type them as they like when signing in.
        return self.get(email__iexact=(email or "").strip())

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("role", Role.ADMIN)
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in: a recruiter, an admin or a viewer. The e-mail is the login."""

    username = None  # type: ignore[assignment]  # no username: the e-mail is the login
    email = models.EmailField("e-mail address", unique=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.RECRUITER)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # Django's documented way to sign in by e-mail; the stubs pin AbstractUser.objects to the
    # username-based manager this model replaces.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.RECRUITER) | models.Q(team__isnull=False),
                name="user_recruiter_has_team",
                violation_error_message="A recruiter must belong to a team.",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="user_role_known",
                violation_error_message="Choose a role: admin, recruiter or viewer.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the field is validated, so " Rita@Example.com " is cleaned, not refused.
        self.email = (self.email or "").strip().lower()
        super().clean_fields(exclude=exclude)

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the secret is stored; the prefix identifies it in lists."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=16)
    hashed_secret = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or 'unnamed'})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` a user sent to one endpoint, with the fingerprint of the request it
    named and, once that request succeeded, its response, kept to answer repeats for 24 hours
    (homestretch/accounts/idempotency.py). `claim` is set while the request is being processed; the
    response is written in the same transaction as the records the request wrote."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="idempotency_keys")
    key = models.CharField(max_length=255)
    endpoint = models.CharField(max_length=300)  # method and path: "POST /api/v1/applications/87/offers"
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the request's query and body
    created_at = models.DateTimeField()
    claim = models.CharField(max_length=32)  # who is processing it now: a random token per attempt
    claimed_at = models.DateTimeField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_content_type = models.CharField(max_length=100, blank=True)
    response_body = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "endpoint"],
                name="idempotency_key_once_per_user_and_endpoint",
                violation_error_message="This Idempotency-Key was already used on this endpoint.",
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_created")]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"
