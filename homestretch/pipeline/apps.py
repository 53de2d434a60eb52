from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "homestretch.pipeline"
    label = "pipeline"
    verbose_name = "Pipeline"
