"""Byte-identical outputs: build dates from SOURCE_DATE_EPOCH, and the one zip writer.

Both zips the toolkit publishes (the offline bundle and the DAP workbook) go through
`write_zip`, so the same inputs give the same bytes whoever builds them and when.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

DEFAULT_EPOCH = 315532800  # 1980-01-01, the earliest date a zip entry can hold
FILE_MODE = 0o644

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


def write_zip(fh: BinaryIO, entries: Iterable[tuple[str, bytes]],
              epoch: int | None = None, level: int = 9) -> int:
    """Write (name, content) entries, in the order given, as a zip into fh.

    Every entry gets the same date (the epoch), Unix permissions 0644 and the same
    compression (deflate at `level`), so the bytes depend on the entries alone. Returns the
    entry count.
    """
    stamp = zip_time(epoch)
    count = 0
    with zipfile.ZipFile(fh, "w") as zf:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permission bits below are honoured
            info.external_attr = (0o100000 | FILE_MODE) << 16
            zf.writestr(info, content, compresslevel=level)
            count += 1
    return count


# The last zips made in memory, by a hash of their entries: deflate at level 9 is most of
# the cost of the downloads, and a `mkdocs serve` rebuild usually makes the same ones again.
_MADE: OrderedDict[str, bytes] = OrderedDict()
MADE_KEPT = 6


def zip_bytes(entries: Iterable[tuple[str, bytes]], epoch: int | None = None,
              level: int = 9) -> bytes:
    """write_zip into memory. The bytes depend on the entries and the date alone, so the
    same entries give back the zip made last time instead of compressing them again."""
    items = list(entries)
    stamp = zip_time(epoch)
    h = hashlib.sha256(repr((stamp, level)).encode())
    for name, content in items:
        for part in (name.encode("utf-8", "surrogatepass"), content):
            h.update(len(part).to_bytes(8, "big"))
            h.update(part)
    key = h.hexdigest()
    made = _MADE.get(key)
    if made is None:
        out = io.BytesIO()
        write_zip(out, items, epoch, level=level)
        made = out.getvalue()
    _MADE[key] = made
    _MADE.move_to_end(key)
    while len(_MADE) > MADE_KEPT:
        _MADE.popitem(last=False)
    return made


def rezip(data: bytes, epoch: int | None = None,
          edit: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """The zip data rewritten by write_zip (same entries and order): for zips made by
    libraries that stamp their own dates. `edit(name, content)` may change an entry (a date
    a library writes inside a file).

    Deflate level 6, as the libraries themselves write: level 9 made the DAP workbook 2%
    smaller (83 against 85 KB at 1,000 questions) in seven times the time (0.065 s against
    0.009 s), paid again by every build that changes a question's words."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = ((i.filename, src.read(i)) for i in src.infolist())
        if edit is not None:
            entries = ((name, edit(name, content)) for name, content in entries)
        return zip_bytes(entries, epoch, level=6)


def zip_entries(path: str | os.PathLike[str]) -> Iterator[tuple[str, bytes]]:
    """Name and bytes of each entry of a finished zip (read-only: publish checks a bundle)."""
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            yield info.filename, zf.read(info)
