"""What every per-article stage runs on: the spaCy model (loaded once per process), the per-doc cache, the bounds
that keep any text safe to parse, the lead and the embedder that encodes it."""
