"""1. Read: the schema, the curated facts and the register, each value checked against its quote."""
