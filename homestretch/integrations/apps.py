from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "homestretch.integrations"
    verbose_name = "Reminders out of the app"

    def ready(self) -> None:
        from django.core import checks

        from .checks import email_timeout_within_lease

        checks.register(email_timeout_within_lease)
