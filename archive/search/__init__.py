"""A search as people meet it: its state in a URL (state) and its answers made readable (results)."""
