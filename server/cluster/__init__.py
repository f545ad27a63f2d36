"""A cluster past one process: one hub, any number of workers, Redis Streams between them.

Workers hold the phones and projectors; the hub (the console, or ``danmaku hub``) is the
one moderation point and the one database. Submissions travel worker → hub on one stream,
read from a position the hub commits with the comments it produced (exactly once across
crashes); what the pages must show travels hub → workers on a second stream that each
worker follows from its last id (nothing lost across a dropped connection).

An adapter like :mod:`server.web`, beneath it: the web adapter composes it (a worker is
the web adapter over these streams). :mod:`server.cluster.wire` imports no Redis client,
so the single-box server may use its shapes without paying for one.
"""
