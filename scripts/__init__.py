"""The pipeline: curated facts -> data package -> validation -> SQLite -> Datasette."""

import csv
import sys

# Every CSV the pipeline reads holds values the schema bounds (maxLength); the csv module's own
# limit (128 KB) would otherwise fail on a long value as a bug rather than a constraint error.
csv.field_size_limit(sys.maxsize)
