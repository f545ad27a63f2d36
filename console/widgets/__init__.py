"""Widgets of the moderator console, one per file."""
