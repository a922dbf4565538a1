"""storyline: make sense of many news articles about one story."""

# The subpackage storyline.report is loaded first, so its later import (by the report functions) cannot rebind the
# name `report` here from the function to the subpackage.
from . import report as _report_package  # noqa: F401
from .api import analyze, analyze_texts, check, dataframe, export, extract, open_store, quotes, report, table, timeline
from .config import Settings

__all__ = ["Settings", "analyze", "analyze_texts", "check", "dataframe", "export", "extract", "open_store", "quotes",
           "report", "table", "timeline"]
__version__ = "0.1.0"
