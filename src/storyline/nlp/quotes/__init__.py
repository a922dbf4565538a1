"""Quotes and their speakers: quotation marks, reported speech by cue rules, the learned attribution tagger."""
