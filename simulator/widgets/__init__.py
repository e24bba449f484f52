"""Widgets of the Parley app. They draw what the engine computed; they hold no game rules."""
