"""The static files are collected with gzip only, whatever else is installed (homestretch/lib/static_files.py):
Brotli at whitenoise's quality made every `homestretch run` start 20 s slower once a test tool brought it."""

from __future__ import annotations

import pytest
from django.core.management import call_command


def test_collecting_writes_gzip_beside_each_file_and_no_brotli_even_with_brotli_installed(settings, tmp_path):
    pytest.importorskip("brotli", reason="the choice is about what happens when brotli is installed")
    from homestretch import settings as served  # what settings.py serves with (the suite's conftest collects plainly)

    settings.STORAGES = {**settings.STORAGES, "staticfiles": served.STORAGES["staticfiles"]}
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    written = {path.name for path in tmp_path.rglob("*") if path.is_file()}
    assert "app.css.gz" in written and any(name.startswith("app.") and name.endswith(".css.gz") for name in written)
    assert not [name for name in written if name.endswith(".br")]
