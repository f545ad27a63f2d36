"""Instructions the filter executes per round over the labelled corpus, counted by valgrind.

Timings on a shared 2-core machine move by a few percent from one run to the next, which
hides the one-percent changes that speed work is made of. An instruction count does not
move: run this before and after a change and compare. It does not see cache misses, so
confirm a real gain with ``moderation_bench.py`` (whose ratio is the figure that counts).

    python benchmarks/filter_instructions.py [--rounds 10]

Needs valgrind (Debian: ``apt-get install valgrind``). Takes about a minute: the two runs
(set-up only, set-up plus the rounds) go side by side, and the difference is the rounds'.
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


def instructions(rounds: int) -> int:
    """Instructions of one run: set-up, one warm round, then ``rounds`` rounds."""
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
        env={**os.environ, "PYTHONHASHSEED": "0"},  # the same dict layouts in both runs
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{out.stderr}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with ThreadPoolExecutor(2) as pool:
        setup, total = pool.map(instructions, (0, args.rounds))
    per_round = (total - setup) / args.rounds
    lines = sum(len(read_tsv(CORPUS / name)) for name in ("holds.tsv", "innocent.tsv"))
    print(f"set-up (lists, jieba, one warm round): {setup:,} instructions")
    print(f"per round of the labelled corpus:      {per_round:,.0f} instructions")
    print(f"per comment ({lines} of them):            {per_round / lines:,.0f} instructions")


if __name__ == "__main__":
    main()
