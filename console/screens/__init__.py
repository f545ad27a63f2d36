"""The four views of the moderator console (Textual MODES), one per file."""
