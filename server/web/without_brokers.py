"""Import python-socketio without the message brokers' clients it would load for nothing.

python-socketio imports every broker client it finds installed (redis, valkey) at import
time, for its pub/sub client managers, which we never use: a cluster speaks Redis Streams
itself (:mod:`server.cluster`), and only with ``--redis``. With redis installed that was
~90 ms more at every start of ``danmaku`` (``python -X importtime``). So python-socketio
is first imported here, with those names blocked for the while; its Redis managers are
then unusable in this process, and our own ``import redis`` later works as usual.
"""

from __future__ import annotations

import sys

BROKERS = ("redis", "valkey")

_blocked = [name for name in BROKERS if name not in sys.modules]
for _name in _blocked:
    sys.modules[_name] = None  # type: ignore[assignment]  # "import redis" raises ImportError
try:
    import socketio  # noqa: F401
finally:
    for _name in _blocked:
        if sys.modules.get(_name, "") is None:
            del sys.modules[_name]
