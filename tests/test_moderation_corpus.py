"""The labelled corpus (benchmarks/corpus/): recall and false holds stay within the targets.

The terms are the test-only lists of benchmarks/corpus/terms/, so these figures measure the
mechanism. Timings are benchmarks/moderation_bench.py's business, not this test's.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from server.moderation import TextFilter

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "benchmarks" / "corpus"
MIN_RECALL = 0.97
MAX_FALSE_HOLDS = 0.01
MIN_LINES = 600


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return _load(ROOT / "benchmarks" / "moderation_bench.py", "moderation_bench")


@pytest.fixture(scope="module")
def f(bench: ModuleType) -> TextFilter:
    flt: TextFilter = bench.test_filter()
    flt.warm_up()
    return flt


def test_the_corpus_is_big_and_balanced(bench: ModuleType) -> None:
    holds = bench.read_tsv(CORPUS / "holds.tsv")
    innocent = bench.read_tsv(CORPUS / "innocent.tsv")
    assert len(holds) + len(innocent) >= MIN_LINES
    assert abs(len(holds) - len(innocent)) <= 0.1 * (len(holds) + len(innocent))
    classes = Counter(row[0] for row in holds)
    assert len(classes) >= 15 and min(classes.values()) >= 20, classes


def test_holds_tsv_is_what_the_generator_makes() -> None:
    generator = _load(CORPUS / "make_holds.py", "make_holds")
    rows = generator.generate()
    lines = [
        line
        for line in (CORPUS / "holds.tsv").read_text(encoding="utf-8").split("\n")
        if line and not line.startswith("#")
    ]
    assert lines == ["\t".join(row) for row in rows]


def test_terms_are_test_only(bench: ModuleType) -> None:
    shipped = ROOT / "wordlists"
    for path in (CORPUS / "terms").glob("*.txt"):
        assert shipped not in path.parents
    assert all(p.parent == CORPUS / "terms" for p in (CORPUS / "terms").glob("*.txt"))


def test_recall_on_holds(f: TextFilter, bench: ModuleType) -> None:
    holds = bench.read_tsv(CORPUS / "holds.tsv")
    missed = [
        (kind, text)
        for kind, category, _term, text in holds
        if category not in {r.category for r in f.check(text).reasons}
    ]
    recall = 1 - len(missed) / len(holds)
    assert recall >= MIN_RECALL, missed


def test_false_holds_on_innocent_lines(f: TextFilter, bench: ModuleType) -> None:
    innocent = bench.read_tsv(CORPUS / "innocent.tsv")
    held = [(kind, text) for kind, text in innocent if f.check(text).reasons]
    assert len(held) / len(innocent) <= MAX_FALSE_HOLDS, held


@pytest.mark.parametrize("kind", ["party", "english", "numbers", "literal", "pinyinish"])
def test_no_false_holds_in_the_easy_classes(f: TextFilter, bench: ModuleType, kind: str) -> None:
    innocent = [text for k, text in bench.read_tsv(CORPUS / "innocent.tsv") if k == kind]
    assert innocent
    assert [text for text in innocent if f.check(text).reasons] == []
