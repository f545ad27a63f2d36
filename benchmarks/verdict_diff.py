"""Whether a change to the filter changed any verdict: record before, compare after.

    python benchmarks/verdict_diff.py record FILE    # before the change
    python benchmarks/verdict_diff.py compare FILE   # after it; exits 1 on any difference

Both filters are checked, the corpus one (test-only terms, see moderation_bench.py) and the
default one, on about 15,000 strings: the labelled corpus and danmaku.txt, the string
literals of tests/, three random mutations of each (noise inserted, a character doubled or
dropped) and long lines glued from them. The strings are saved with the verdicts, so a
compare runs on exactly what was recorded.
"""

from __future__ import annotations

import argparse
import ast
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from moderation_bench import CORPUS, read_tsv, test_filter  # noqa: E402

from server.moderation import TextFilter, load_filter  # noqa: E402

NOISE = [" ", "!", "@", "*", "1", "3", "0", "$", "|", "\u200b", "⭐️", "。", "a", "A", "黑"]
NOISE += ["猫", "x", "ｓ", "-", ":", "'", "_", "#", "哈", "你", "妈"]
Verdicts = dict[str, list[list[object]]]


def base_strings() -> list[str]:
    """The corpus lines, danmaku.txt and the short string literals of the tests."""
    strings = {
        row[-1] for row in read_tsv(CORPUS / "holds.tsv") + read_tsv(CORPUS / "innocent.tsv")
    }
    strings.update((CORPUS / "danmaku.txt").read_text(encoding="utf-8").splitlines())
    for path in sorted((ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if 0 < len(node.value) < 80:
                    strings.add(node.value)
    return sorted(s for s in strings if s)


def mutated(strings: list[str], rng: random.Random) -> list[str]:
    """Each string three times with one to three edits: noise in, a character doubled or out."""
    out = []
    for _ in range(3):
        for text in strings:
            chars = list(text)
            for _ in range(rng.randint(1, 3)):
                op, at = rng.random(), rng.randrange(len(chars) + 1)
                if op < 0.5 or not chars:
                    chars.insert(at, rng.choice(NOISE))
                elif op < 0.75:
                    chars.pop(min(at, len(chars) - 1))
                else:
                    at = min(at, len(chars) - 1)
                    chars.insert(at, chars[at])
            out.append("".join(chars))
    return out


def glued(strings: list[str], rng: random.Random, count: int = 6000) -> list[str]:
    """Long lines: two to six strings joined by nothing, a space or a comma, cut at 80."""
    return [
        rng.choice(["", " ", "，"]).join(rng.sample(strings, rng.randint(2, 6)))[:80]
        for _ in range(count)
    ]


def verdicts(text_filter: TextFilter, strings: list[str]) -> Verdicts:
    text_filter.warm_up()
    return {
        s: [[r.term, r.category, list(r.span), r.how] for r in text_filter.check(s).reasons]
        for s in strings
    }


def filters() -> dict[str, TextFilter]:
    return {"corpus": test_filter(), "default": load_filter(cache_size=0)}


def record(path: Path) -> None:
    rng = random.Random(7)
    base = base_strings()
    strings = sorted(set(base + mutated(base, rng) + glued(base, rng)))
    recorded = {name: verdicts(f, strings) for name, f in filters().items()}
    path.write_text(json.dumps(recorded, ensure_ascii=False), encoding="utf-8")
    held = {name: sum(1 for v in got.values() if v) for name, got in recorded.items()}
    print(f"recorded {len(strings)} strings; held: {held}")


def compare(path: Path) -> int:
    recorded: dict[str, Verdicts] = json.loads(path.read_text(encoding="utf-8"))
    differences = 0
    for name, text_filter in filters().items():
        now = verdicts(text_filter, list(recorded[name]))
        for text, before in recorded[name].items():
            if now[text] != before:
                differences += 1
                if differences <= 30:
                    print(f"{name}: {text!r}\n  before {before}\n  now    {now[text]}")
    strings = len(next(iter(recorded.values())))
    print(f"{differences} differences over {strings} strings and {len(recorded)} filters")
    return 1 if differences else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["record", "compare"])
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    if args.action == "record":
        record(args.file)
    else:
        sys.exit(compare(args.file))


if __name__ == "__main__":
    main()
