"""Parley's simulator: the `parley` command and the Textual app."""

__version__ = "0.2.0"
