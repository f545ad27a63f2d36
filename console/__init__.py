"""Danmaku Deck's moderator console (Textual). Textual is imported only by console.app."""
