from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


class PipelineConfig(AppConfig):
    name = "homestretch.pipeline"
    label = "pipeline"
    verbose_name = "Pipeline"

    def ready(self) -> None:
        from . import touch_summaries
        from .models import Touchpoint

        pre_save.connect(touch_summaries.before_touch_saved, sender=Touchpoint,
                         dispatch_uid="touch_summary_before_save")
        post_save.connect(touch_summaries.after_touch_saved, sender=Touchpoint,
                          dispatch_uid="touch_summary_after_save")
        post_delete.connect(touch_summaries.after_touch_deleted, sender=Touchpoint,
                            dispatch_uid="touch_summary_after_delete")
