"""Build dates for byte-identical outputs (the reproducible-builds SOURCE_DATE_EPOCH rule)."""

from __future__ import annotations

import os
import time

DEFAULT_EPOCH = 315532800  # 1980-01-01, the earliest date a zip entry can hold

ZipTime = tuple[int, int, int, int, int, int]


def source_epoch() -> int:
    """SOURCE_DATE_EPOCH if set, else 1980-01-01."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value else DEFAULT_EPOCH


def zip_time(epoch: int | None = None) -> ZipTime:
    """The epoch (default: source_epoch()) as a zip entry date, clamped to what zip can hold."""
    t = time.gmtime(source_epoch() if epoch is None else epoch)
    if t.tm_year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    if t.tm_year > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)
