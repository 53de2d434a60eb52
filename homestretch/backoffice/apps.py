from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    """The Django admin over every domain's records. An interface like the pages and the API: it sits
    above the domain apps and writes through their services (docs/architecture.md)."""

    name = "homestretch.backoffice"
    label = "backoffice"
    verbose_name = "Back office"
