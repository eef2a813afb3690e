"""4. Load: the package into SQLite (typed tables, keys, indexes, full-text search, views)."""
