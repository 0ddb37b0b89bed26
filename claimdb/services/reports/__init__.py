"""The contradiction report: contradictions, stance conflicts, mutual accusations, and its downloads."""
