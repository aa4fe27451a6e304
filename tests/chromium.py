"""Debian's Chromium for the browser page's test and benchmark (Playwright never downloads one)."""

from __future__ import annotations

import os
import shutil

INSTALL = "apt-get install chromium (Debian's package; `playwright install` is not used)"


def chromium_path() -> str | None:
    """The Chromium executable: $CSTO_CHROMIUM, else `chromium` on PATH."""
    return os.environ.get("CSTO_CHROMIUM") or shutil.which("chromium")
