from django.apps import AppConfig


class FrontConfig(AppConfig):
    """The pages a recruiter works in: Today, the pipeline board, application, candidate, job and
    client pages. They compose several domains, so they live above all of them (docs/architecture.md)."""

    name = "homestretch.front"
    label = "front"
    verbose_name = "Pages"
