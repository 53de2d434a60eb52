from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "homestretch.learning"
    verbose_name = "Learning from history"
