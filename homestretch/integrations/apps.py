from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "homestretch.integrations"
    verbose_name = "Reminders out of the app"
