"""Per-article language understanding: ``pipeline`` runs, on one batch of articles, the stages of ``entities``,
``quotes``, ``numbers`` (times, quantities) and ``claims`` over one spaCy parse, on what ``runtime`` provides."""
