"""No rule hides in a signal: what is derived from the domain's rows (touch summaries, the generation
risk snapshots are checked against) is kept by explicit calls from the writers, in their transaction
(homestretch.pipeline.changes; docs/architecture.md, Derived tables)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import signals

MODEL_SIGNALS = {
    "pre_init": signals.pre_init, "post_init": signals.post_init, "pre_save": signals.pre_save,
    "post_save": signals.post_save, "pre_delete": signals.pre_delete, "post_delete": signals.post_delete,
    "m2m_changed": signals.m2m_changed,
}


def test_no_homestretch_model_has_a_signal_receiver():
    models = [model for model in apps.get_models(include_auto_created=True)
              if model.__module__.startswith("homestretch.")]
    assert len(models) > 20  # every app's models are loaded
    listened = [f"{name} of {model._meta.label}" for model in models for name, signal in MODEL_SIGNALS.items()
                if signal.has_listeners(model)]
    assert listened == []
