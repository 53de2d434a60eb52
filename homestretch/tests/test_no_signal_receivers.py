"""No rule hides in a signal: what is derived from the domain's rows (touch summaries, the generation
risk snapshots are checked against) is kept by explicit calls from the writers, in their transaction
(homestretch.pipeline.changes; docs/architecture.md, Derived tables).

The one listener allowed is django-auditlog's, which records the audited models' writes in the audit trail
(homestretch.audit.recording) and derives nothing the product reads."""

from __future__ import annotations

from django.apps import apps
from django.db.models import signals

MODEL_SIGNALS = {
    "pre_init": signals.pre_init, "post_init": signals.post_init, "pre_save": signals.pre_save,
    "post_save": signals.post_save, "pre_delete": signals.pre_delete, "post_delete": signals.post_delete,
    "m2m_changed": signals.m2m_changed,
}


AUDIT_RECEIVERS = "auditlog.receivers"  # the audit trail's recording of writes, and nothing else


def _receivers(signal: signals.ModelSignal, model: type) -> list:
    return [receiver for receiver in signal._live_receivers(model)[0]
            if getattr(receiver, "__module__", "") != AUDIT_RECEIVERS]


def test_no_homestretch_model_has_a_signal_receiver():
    models = [model for model in apps.get_models(include_auto_created=True)
              if model.__module__.startswith("homestretch.")]
    assert len(models) > 20  # every app's models are loaded
    listened = [f"{name} of {model._meta.label}" for model in models for name, signal in MODEL_SIGNALS.items()
                if _receivers(signal, model)]
    assert listened == []


def test_the_audit_listens_to_the_audited_models_only():
    from homestretch.offers.models import CompetingOffer

    assert signals.pre_save.has_listeners(CompetingOffer)  # the audit sees the write
    assert _receivers(signals.pre_save, CompetingOffer) == []  # and nothing else does
