"""storyline: make sense of many news articles about one story."""

from .api import analyze, extract, open_store, quotes, report
from .config import Settings

__all__ = ["Settings", "analyze", "extract", "open_store", "quotes", "report"]
__version__ = "0.1.0"
