from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "homestretch.history"
    verbose_name = "History of past outcomes (imported)"
