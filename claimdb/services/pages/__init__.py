"""What the analyst's pages show, shaped in a bounded number of queries (the web layer renders it)."""
