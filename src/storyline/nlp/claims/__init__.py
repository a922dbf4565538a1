"""Claims: the statements an article makes (its headline and clauses), with their content, modality and time."""
