"""Instructions the filter executes per round over the labelled corpus, counted by valgrind.

Timings on a shared 2-core machine move by a few percent from one run to the next, which
hides the small changes that speed work is made of. An instruction count moves much less,
but it does move: it depends on where things land in memory, and the size of the
environment alone shifts the count per round by up to about 1 %. So each count is taken
under several environment sizes and averaged; trust a difference only when it is larger
than the spread printed beside it. It does not see cache misses, so confirm a real gain
with ``moderation_bench.py`` (whose ratio is the figure that counts).

    python benchmarks/filter_instructions.py [--rounds 10] [--layouts 3]

Needs valgrind (Debian: ``apt-get install valgrind``). Takes about 30 s per layout: each
layout's two runs (set-up only, set-up plus the rounds) go side by side, and the difference
is the rounds'.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from moderation_bench import CORPUS, read_tsv  # noqa: E402

ROUNDS = """
import sys
sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[1] + "/benchmarks")
from moderation_bench import CORPUS, read_tsv, test_filter
text_filter = test_filter()
text_filter.warm_up()
lines = [row[-1] for name in ("holds.tsv", "innocent.tsv") for row in read_tsv(CORPUS / name)]
for _ in range(1 + int(sys.argv[2])):  # one round to learn every character, then the rounds
    for line in lines:
        text_filter.check(line)
"""


def instructions(rounds: int, layout: int) -> int:
    """Instructions of one run: set-up, one warm round, then ``rounds`` rounds.

    ``layout`` pads the environment by that many kilobytes, which moves the stack and the
    heap (and so the count: see the module's docstring).
    """
    out = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            sys.executable,
            "-c",
            ROUNDS,
            str(ROOT),
            str(rounds),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={
            **os.environ,
            "PYTHONHASHSEED": "0",  # the same dict layouts in every run
            "FILTER_INSTRUCTIONS_LAYOUT": "x" * 1024 * layout,
        },
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{out.stderr}")
    return int(found.group(1).replace(",", ""))


def per_round(rounds: int, layout: int) -> float:
    """Instructions per round under one layout: the two runs side by side, subtracted."""
    with ThreadPoolExecutor(2) as pool:
        setup, total = pool.map(instructions, (0, rounds), (layout, layout))
    return (total - setup) / rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--layouts", type=int, default=3, help="environment sizes to average")
    args = parser.parse_args()
    counts = [per_round(args.rounds, layout) for layout in range(args.layouts)]
    mean = sum(counts) / len(counts)
    spread = (max(counts) - min(counts)) / mean
    lines = sum(len(read_tsv(CORPUS / name)) for name in ("holds.tsv", "innocent.tsv"))
    print(f"per round of the labelled corpus: {mean:,.0f} instructions (mean of {len(counts)})")
    each = ", ".join(f"{count:,.0f}" for count in counts)
    print(f"  spread over the layouts:        {spread:.1%}  ({each})")
    print(f"per comment ({lines} of them):      {mean / lines:,.0f} instructions")


if __name__ == "__main__":
    main()
