"""The moderation filter: wordlists, normalization, Aho-Corasick, jieba where it decides.

Typical use::

    text_filter = load_filter(extra_paths, allow_files=extra_allow)
    threading.Thread(target=text_filter.warm_up).start()
    verdict = text_filter.check("一只黑猫")

Live editing: :func:`server.moderation.edit.add_term` appends a word to
``text_filter.source_files[category]`` or ``text_filter.allow_file``; build a new filter
with the same arguments (fast: lists, automata) and warm it up (cheap once jieba is loaded).

Modules: ``normalize`` (one character), ``skeleton`` (a text without noise), ``keys`` (a term's
spellings: leetspeak, pinyin, 拆字 from ``chaizi``, fillers, Chinese numerals), ``matcher``
(Aho-Corasick plus per-hit checks), ``homophone`` (same-sound spellings and when they count),
``screen`` (a C-speed pass that lets most comments skip the rest), ``segment`` (jieba, only
when a dictionary word reaches across a hit's edge), ``contact`` (phones, IDs, URLs, e-mail),
``tables`` (translate tables that stay fast on what they do not map), ``engine`` (all of it),
``edit`` (list files).
"""

from server.moderation.engine import TextFilter, load_filter

__all__ = ["TextFilter", "load_filter"]
