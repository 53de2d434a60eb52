from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "homestretch.risk"
    label = "risk"
    verbose_name = "Risk"
