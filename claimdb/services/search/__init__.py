"""Searching statements: by words (each engine's full-text index), speaker, faction, date, source and claim."""
