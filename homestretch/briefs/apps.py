from django.apps import AppConfig


class BriefsConfig(AppConfig):
    name = "homestretch.briefs"
    verbose_name = "Briefs for the hiring manager"
