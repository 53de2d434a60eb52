"""Registers every model with the back office (Django's autodiscovery imports this module)."""

from . import (
    accounts,
    audit,
    cadence,
    history,
    insights,
    integrations,
    mailin,
    offers,
    pipeline,
    privacy,
    risk,
    sign_in,
    similar,
    spreadsheets,
)

__all__ = ["accounts", "audit", "cadence", "history", "insights", "integrations", "mailin", "offers", "pipeline",
           "privacy", "risk", "sign_in", "similar", "spreadsheets"]
