"""Thin blueprints, one per resource: parse the request, call store/search, render."""
