"""The pipeline: curated facts -> data package -> validation -> SQLite -> Datasette."""
