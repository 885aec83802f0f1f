"""marshmallow schemas for everything that crosses the archive's edges (import files, forms, API)."""
