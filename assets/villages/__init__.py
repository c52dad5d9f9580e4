"""Bundled village scripts (YAML)."""
