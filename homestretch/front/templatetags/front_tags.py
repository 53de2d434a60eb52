"""Small template filters for the recruiter's pages."""

from __future__ import annotations

from django import template

from homestretch.lib.money import format_amount
from homestretch.pipeline.choices import Stage

register = template.Library()


@register.filter
def stage_label(value: str) -> str:
    """'final_interview' -> 'Final interview'."""
    try:
        return Stage(value).label
    except ValueError:
        return value


@register.filter
def amount(value) -> str:
    return "—" if value is None else format_amount(value)
