"""`storyline stance`: label every (claim, text) row of a CSV with the stance model, streaming.

Memory stays bounded by the batch: rows are read, scored and written ``BATCH_ROWS`` at a time, so a CSV of
hundreds of thousands of pairs needs no more memory than a thousand. The output is written to a temporary file
next to the target and renamed at the end, so a failed run never leaves a half-written OUT.csv behind.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..config import Settings
from ..errors import UsageError
from .stance import StanceModel

BATCH_ROWS = 512
REQUIRED = ("claim", "text")
ADDED = ("stance", "score")


def _count_rows(path: Path) -> int:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return max(0, sum(1 for _ in csv.reader(fh)) - 1)


def _batches(reader: Iterator[list[str]], size: int) -> Iterator[list[list[str]]]:
    batch: list[list[str]] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue  # blank line
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def stance_csv(input_path: str | Path, output_path: str | Path, settings: Settings | None = None,
               progress: bool = True, model: StanceModel | None = None) -> int:
    """Write OUTPUT with the input's columns plus ``stance`` and ``score``; returns the number of rows written.

    Column names are matched case-insensitively; extra columns are copied through unchanged. An existing
    ``stance``/``score`` column is overwritten rather than duplicated.
    """
    settings = settings or Settings()
    src, dst = Path(input_path), Path(output_path)
    if not src.is_file():
        raise UsageError(f"{src}: no such file (expected a CSV with columns claim,text)")
    csv.field_size_limit(max(settings.max_input_bytes, 131072))
    with open(src, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
        except UnicodeDecodeError as exc:
            raise UsageError(f"{src}: not UTF-8 text ({exc}); save the CSV as UTF-8") from exc
        return _label(src, dst, header, reader, model, progress)


def _label(src: Path, dst: Path, header: list[str] | None, reader: Iterator[list[str]],
           model: StanceModel | None, progress: bool) -> int:
    if not header:
        raise UsageError(f"{src}: empty file; expected a header row with columns claim,text")
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        found = ", ".join(repr(h) for h in header) or "none"
        raise UsageError(f"{src}: missing column(s) {', '.join(missing)}; columns found: {found} "
                         "(the file needs a header row with claim,text)")
    ci, ti = names.index("claim"), names.index("text")
    out_header = list(header)
    pos = {}
    for col in ADDED:
        if col in names:
            pos[col] = names.index(col)
        else:
            pos[col] = len(out_header)
            out_header.append(col)
    model = model or StanceModel.load()
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=_count_rows(src), unit="pair", desc="stance", file=sys.stderr, dynamic_ncols=True)
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".stance-", suffix=".csv", dir=dst.parent)
    written = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(out_header)
            for batch in _batches(reader, BATCH_ROWS):
                pairs = [(r[ci] if ci < len(r) else "", r[ti] if ti < len(r) else "") for r in batch]
                for row, (label, score) in zip(batch, model.predict(pairs), strict=True):
                    row = row + [""] * (len(out_header) - len(row))
                    row[pos["stance"]] = label
                    row[pos["score"]] = f"{score:.4f}"
                    writer.writerow(row)
                written += len(batch)
                if bar is not None:
                    bar.update(len(batch))
        os.replace(tmp, dst)
    except UnicodeDecodeError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UsageError(f"{src}: not UTF-8 text after row {written + 1} ({exc}); save the CSV as UTF-8") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        if bar is not None:
            bar.close()
    return written
