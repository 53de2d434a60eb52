from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "homestretch.agenda"
    label = "agenda"
    verbose_name = "Agenda"
