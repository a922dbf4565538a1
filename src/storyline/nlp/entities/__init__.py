"""Named entities: spaCy NER plus noun-chunk mentions, merged into one index per article (aliases, acronyms, roles)."""
