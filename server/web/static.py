"""The pages and their assets, compressed: a thousand phones load them at once over Wi-Fi."""

from __future__ import annotations

import mimetypes
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class StaticFiles:
    """Serves files under one root, read once (re-read when changed), gzip when accepted."""

    def __init__(self, root: Path) -> None:
        self._root = root.resolve()
        self._cache: dict[Path, tuple[float, bytes]] = {}

    def _read(self, path: Path) -> bytes:
        mtime = path.stat().st_mtime
        cached = self._cache.get(path)
        if cached is None or cached[0] != mtime:
            cached = (mtime, path.read_bytes())
            self._cache[path] = cached
        return cached[1]

    def _resolve(self, relative: str) -> Path:
        path = (self._root / relative).resolve()
        if not path.is_relative_to(self._root) or not path.is_file() or path.suffix == ".py":
            raise web.HTTPNotFound()
        return path

    def respond(self, relative: str, cache_control: str) -> web.Response:
        """The file at ``relative`` (404 outside the root, for folders and Python files)."""
        path = self._resolve(relative)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        charset = "utf-8" if content_type.startswith("text/") or path.suffix == ".js" else None
        response = web.Response(
            body=self._read(path),
            content_type=content_type,
            charset=charset,
            headers={"Cache-Control": cache_control},
        )
        if content_type.startswith(("text/", "application/javascript", "image/svg")):
            response.enable_compression()
        return response

    def page(self, relative: str) -> Handler:
        """A handler for one fixed page."""

        async def handler(request: web.Request) -> web.StreamResponse:
            return self.respond(relative, "no-cache")

        return handler

    async def asset(self, request: web.Request) -> web.StreamResponse:
        """The handler for ``/assets/{path}``."""
        return self.respond(request.match_info["path"], "no-cache")
