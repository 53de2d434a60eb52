from django.apps import AppConfig


class MailinConfig(AppConfig):
    name = "homestretch.mailin"
    verbose_name = "Mail in"
