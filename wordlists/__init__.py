"""The default wordlists, shipped as package data (danmaku_wordlists)."""
