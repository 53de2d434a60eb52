from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "homestretch.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from .recording import register

        register()
