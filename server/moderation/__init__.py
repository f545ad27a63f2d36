"""The moderation filter: wordlists, normalization, Aho-Corasick, jieba where it decides.

Typical use::

    text_filter = load_filter(extra_paths)
    threading.Thread(target=text_filter.warm_up).start()
    verdict = text_filter.check("一只黑猫")
"""

from server.moderation.engine import TextFilter, load_filter

__all__ = ["TextFilter", "load_filter"]
