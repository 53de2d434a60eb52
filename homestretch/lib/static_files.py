"""The static files' storage: whitenoise's hashed, compressed files, compressed with gzip only.

whitenoise also writes Brotli files whenever the `brotli` package is importable, at Brotli's slowest
quality: with the API docs' bundles that is over 20 s of CPU at every `homestretch run` (collectstatic
runs at start), against under 2 s for gzip. `brotli` arrives only with a test tool (locust's HTTP client),
so without this choice what the app serves, and how fast it starts, would depend on which extras were
installed. Every browser takes gzip; a reverse proxy may add Brotli in front (docs/operations.md).
"""

from __future__ import annotations

from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs: Any) -> Compressor:
        return Compressor(use_brotli=False, **kwargs)
