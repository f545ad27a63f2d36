"""The process's open-file limit: one open file per connected phone.

Many systems start programs with a soft limit of 1,024 open files (the hard limit is far
higher): left alone, the server would stop accepting phones at about a thousand, which is
the very cap that failed the event this product was born from. So the soft limit is raised
to the hard limit at start, and the moderator is told when even that is low.
"""

from __future__ import annotations

import resource

# Files the server needs besides phones: the database, its log, projectors, the listener.
RESERVED_FILES = 100
LOW_PHONE_CAPACITY = 10_000


def raise_open_file_limit() -> int:
    """Raise the soft open-file limit as far as the hard limit allows; return the new one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 1_048_576)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):  # e.g. a container's own ceiling: keep what we have
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def phone_capacity(open_files: int) -> int:
    """How many phones fit in ``open_files``."""
    return max(0, open_files - RESERVED_FILES)


def capacity_warning(open_files: int) -> str | None:
    """A sentence for the moderator when the limit caps the hall, else None."""
    phones = phone_capacity(open_files)
    if phones >= LOW_PHONE_CAPACITY:
        return None
    return (
        f"This server can hold about {phones:,} phones at once (open-file limit "
        f"{open_files:,}). For a bigger hall raise it before starting: `ulimit -n 65536`."
    )
