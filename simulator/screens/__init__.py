"""Screens of the Parley app: picker, conversation, debrief, help."""
