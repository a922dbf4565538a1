"""Per-article language understanding: spaCy loading, entities, quotes (claims, quantities and time live beside)."""
