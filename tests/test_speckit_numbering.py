"""Feature numbers: the next free one after spec directories and branches."""

from __future__ import annotations

from pathlib import Path

from stackprint.speckit import numbering


def _dirs(root: Path, *names: str) -> Path:
    for name in names:
        (root / "specs" / name).mkdir(parents=True)
    return root


def test_first_feature_is_one(tmp_path: Path) -> None:
    assert numbering.next_number(tmp_path) == 1


def test_next_after_highest_even_with_gaps(tmp_path: Path) -> None:
    _dirs(tmp_path, "001-a", "002-b", "007-c")
    assert numbering.next_number(tmp_path) == 8


def test_branches_count_too(tmp_path: Path) -> None:
    _dirs(tmp_path, "001-a")
    assert numbering.next_number(tmp_path, ["main", "004-elsewhere", "feature/009-x"]) == 5


def test_timestamps_files_and_unnumbered_dirs_are_ignored(tmp_path: Path) -> None:
    _dirs(tmp_path, "001-a", "20250101-120000-stamp", "notes", "12-short")
    (tmp_path / "specs" / "050-file.md").write_text("x")
    assert numbering.next_number(tmp_path) == 2
    assert [p.name for p in numbering.feature_dirs(tmp_path)] == ["001-a", "20250101-120000-stamp"]


def test_numbers_are_zero_padded_to_three() -> None:
    assert numbering.format_number(2) == "002"
    assert numbering.format_number(1234) == "1234"
    assert numbering.number_of("010-x") == 10  # decimal, never octal
    assert numbering.number_of("main") is None
