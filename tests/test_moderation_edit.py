"""Live list editing: add_term, the files a filter reports, and a reload that sees the change."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from server.moderation import load_filter
from server.moderation.edit import add_term, check_term
from server.moderation.wordlists import default_dir, read_wordlist


def test_add_term_appends_once(tmp_path: Path) -> None:
    path = tmp_path / "pets.txt"
    path.write_text("# pets\n黑猫", encoding="utf-8")  # no newline at the end
    assert add_term(path, " 白狗 ")
    assert not add_term(path, "白狗")
    assert not add_term(path, "黑猫")
    assert path.read_text(encoding="utf-8") == "# pets\n黑猫\n白狗\n"
    assert read_wordlist(path).terms == ("黑猫", "白狗")


def test_add_term_creates_the_file_and_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "lists" / "spam.txt"
    assert add_term(path, "刷单")
    assert path.read_text(encoding="utf-8") == "刷单\n"


def test_add_term_keeps_a_bom_file_readable(tmp_path: Path) -> None:
    path = tmp_path / "allow.txt"
    path.write_text("\ufeff处女座\n", encoding="utf-8")
    assert not add_term(path, "处女座")
    assert add_term(path, "处女作")
    assert read_wordlist(path).terms == ("处女座", "处女作")


@pytest.mark.parametrize("term", ["", "   ", "a\nb", "#tag", "c #d", "x\u2028y"])
def test_terms_that_cannot_be_a_line_are_refused(tmp_path: Path, term: str) -> None:
    with pytest.raises(ValueError):
        add_term(tmp_path / "x.txt", term)
    assert not (tmp_path / "x.txt").exists()


def test_check_term_keeps_hash_inside_a_word() -> None:
    assert check_term(" c# ") == "c#"


def test_concurrent_adds_write_each_term_once(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    words = [f"词{k % 10}" for k in range(40)]
    threads = [threading.Thread(target=add_term, args=(path, w)) for w in words]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(read_wordlist(path).terms) == sorted({*words})


def test_source_files_and_allow_file(tmp_path: Path) -> None:
    mine = tmp_path / "profanity.txt"
    mine.write_text("darn\n", encoding="utf-8")
    pets = tmp_path / "pets.txt"
    pets.write_text("黑猫\n", encoding="utf-8")
    flt = load_filter([mine, pets])
    assert flt.source_files["profanity"] == mine  # the organiser's file wins over the shipped
    assert flt.source_files["pets"] == pets
    assert flt.source_files["sexual"] == default_dir() / "sexual.txt"
    assert "allow" not in flt.source_files and "contact" not in flt.source_files
    assert flt.allow_file == default_dir() / "allow.txt"

    extra = tmp_path / "my-allow.txt"
    assert load_filter([pets], allow_files=[extra]).allow_file == extra
    only = load_filter([pets], use_defaults=False)
    assert only.source_files == {"pets": pets}
    assert only.allow_file is None
    assert load_filter([pets], use_defaults=False, allow_files=[extra]).allow_file == extra


def test_an_added_term_holds_after_a_reload(tmp_path: Path) -> None:
    path = tmp_path / "pets.txt"
    path.write_text("黑猫\n", encoding="utf-8")
    allow = tmp_path / "allow.txt"
    first = load_filter([path], use_defaults=False, allow_files=[allow])
    first.warm_up()
    assert first.check("白狗来了").reasons == ()
    assert add_term(first.source_files["pets"], "白狗")
    assert first.allow_file is not None and add_term(first.allow_file, "黑猫警长")
    second = load_filter([path], use_defaults=False, allow_files=[allow])
    second.warm_up()  # jieba is initialised already: only the new term is taught
    assert [r.term for r in second.check("白狗来了").reasons] == ["白狗"]
    assert second.check("黑猫警长来了").reasons == ()
    assert [r.term for r in second.check("一只黑猫").reasons] == ["黑猫"]
