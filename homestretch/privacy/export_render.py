"""The export's readable version: the JSON document as an HTML page, every field under its section."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from .export import readable


def as_html(document: dict[str, Any]) -> str:
    return render_to_string("privacy/export.html", {"document": document, "sections": readable(document)})
