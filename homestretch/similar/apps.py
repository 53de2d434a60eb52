from django.apps import AppConfig


class SimilarConfig(AppConfig):
    name = "homestretch.similar"
    verbose_name = "Similar past searches"
