"""SQLite store (WAL, migrations, FTS5)."""

from .sqlite import Store, fts_query

__all__ = ["Store", "fts_query"]
