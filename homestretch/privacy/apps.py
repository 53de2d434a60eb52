from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "homestretch.privacy"
    label = "privacy"
    verbose_name = "Candidates' data rights"
