"""The Whoosh full-text index: derived from SQLite, rebuildable at any time, checked against it."""
