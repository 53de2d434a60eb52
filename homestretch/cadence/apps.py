from django.apps import AppConfig


class CadenceConfig(AppConfig):
    name = "homestretch.cadence"
    label = "cadence"
    verbose_name = "Contact cadence"
