"""Screens and modals of the moderator console, one per file."""
