"""WARC / CC-News: HTML response records, read one at a time so memory follows the record, not the file."""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Settings
from ..model import InputRecord, RawDocument


def read_warc(path: str, settings: Settings) -> Iterator[RawDocument | InputRecord]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    continue
                n += 1
                label = f"{path}#{n}"
                if n > settings.max_records:
                    yield InputRecord(label, "failed", f"{path}: stopped after {settings.max_records:,} records (max_records)")
                    return
                url = record.rec_headers.get_header("WARC-Target-URI")
                ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
                if "html" not in ctype.lower():
                    yield InputRecord(label, "skipped", f"{label}: not HTML ({ctype or 'no content type'}) at {url}")
                    continue
                stream = record.content_stream()
                data = stream.read(settings.max_input_bytes + 1)
                if len(data) > settings.max_input_bytes:
                    yield InputRecord(label, "failed", f"{label}: record larger than {settings.max_input_bytes:,} bytes; raise max_input_bytes")
                    continue
                yield RawDocument(label, data, "html", url=url, hints={"url": url} if url else {})
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, AttributeError, KeyError, TypeError) as exc:  # warcio raises these on malformed input
        yield InputRecord(f"{path}#{n + 1}", "failed",
                          f"{path}: truncated or corrupt WARC after {n} response record(s) ({exc.__class__.__name__}: {exc}); earlier records were kept")
    if n == 0:
        yield InputRecord(path, "skipped", f"{path}: WARC holds no response records")
