"""3. Check the written package: frictionless (schema, keys), provenance (quotes at their offsets),
checks/*.sql (rules across rows and tables)."""
