"""The projector and phone pages, shipped as package data (danmaku_web)."""
