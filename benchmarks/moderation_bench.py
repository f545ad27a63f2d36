"""Throughput of the moderation filter, beside jieba alone and a plain Aho-Corasick pass.

All on one core, over the same lines (benchmarks/corpus/danmaku.txt by default): made-up
but typical danmaku, mostly innocent, some noisy, a few to hold. Prints load time, the
first-use cost of jieba, then lines/s and µs/line for each contender.

    python benchmarks/moderation_bench.py [--corpus FILE] [--seconds 2]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def read_corpus(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def rate(label: str, lines: list[str], work: Callable[[str], object], seconds: float) -> None:
    for line in lines:  # warm every cache once
        work(line)
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for line in lines:
            work(line)
        done += len(lines)
    elapsed = time.perf_counter() - start
    print(f"{label:<44} {done / elapsed:>10,.0f} lines/s {elapsed / done * 1e6:>8.1f} µs/line")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "benchmarks/corpus/danmaku.txt")
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    lines = read_corpus(args.corpus)
    chars = sum(map(len, lines)) / len(lines)
    print(f"{len(lines)} lines, {chars:.1f} characters on average, one core\n")

    start = time.perf_counter()
    from server.moderation import load_filter

    text_filter = load_filter(cache_size=0)
    print(f"import + load_filter (defaults): {time.perf_counter() - start:.3f} s")
    start = time.perf_counter()
    text_filter.warm_up()
    print(f"warm_up (jieba initialise):      {time.perf_counter() - start:.3f} s\n")
    cached = load_filter()
    held = sum(text_filter.check(line).held for line in lines)
    print(f"held {held} of {len(lines)} lines\n")

    import ahocorasick
    import jieba

    jieba.setLogLevel(logging.WARNING)
    plain = ahocorasick.Automaton()
    for category in ("profanity", "insult", "sexual", "ads"):
        path = ROOT / "wordlists" / f"{category}.txt"
        for term in path.read_text(encoding="utf-8").splitlines():
            if term and not term.startswith("#"):
                plain.add_word(term.lower(), term)
    plain.make_automaton()

    # The corpus as is (short lines, like most danmaku), then lines joined to about 25 and
    # 60 characters (60 graphemes is the longest comment the server accepts).
    for width in (0, 25, 60):
        batch = lines if width == 0 else join_lines(lines, width)
        average = sum(map(len, batch)) / len(batch)
        print(f"-- {len(batch)} lines of {average:.1f} characters on average")
        rate("TextFilter.check (no verdict cache)", batch, text_filter.check, args.seconds)
        rate("jieba.lcut alone", batch, jieba.lcut, args.seconds)
        rate("plain pyahocorasick pass (lower + iter)", batch,
             lambda s: list(plain.iter(s.lower())), args.seconds)  # fmt: skip
        print()
    print("-- repeated lines served from the verdict cache (the corpus, cycled)")
    rate("TextFilter.check (verdict cache on)", lines, cached.check, args.seconds)


def join_lines(lines: list[str], width: int) -> list[str]:
    """Lines glued with spaces (cycling through the corpus) until each is ``width`` long."""
    out: list[str] = []
    parts: list[str] = []
    for k in range(len(lines) * 3):
        parts.append(lines[k % len(lines)])
        if len(" ".join(parts)) >= width:
            out.append(" ".join(parts)[:width])
            parts = []
    return out


if __name__ == "__main__":
    main()
