"""The `country-toolkit` MkDocs plugin (moved here from generator/plugin.py)."""

from .plugin import CountryToolkitPlugin

__all__ = ["CountryToolkitPlugin"]
