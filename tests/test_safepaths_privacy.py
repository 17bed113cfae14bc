"""safepaths: a project folder is never a link; privacy: appendices we cannot clean are named."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from showcase.checking.privacy import UNSTRIPPABLE, unstrippable_finding
from showcase.reading.safepaths import is_linked_folder, linked_folder_message


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "source"
    (root / "real" / "cases").mkdir(parents=True)
    (root / "wrapper").mkdir()
    (tmp_path / "elsewhere" / "project").mkdir(parents=True)
    (root / "out").symlink_to(tmp_path / "elsewhere" / "project")
    (root / "relative-out").symlink_to(Path("..") / "elsewhere" / "project")
    (root / "inside").symlink_to(root / "real")
    (root / "wrapper" / "inner").symlink_to(root / "real")
    (root / "linked-wrapper").symlink_to(root / "wrapper")
    return root


def test_real_folders_are_read(tree: Path):
    assert not is_linked_folder(tree / "real", tree)
    assert not is_linked_folder(tree / "real" / "cases", tree)
    assert not is_linked_folder(tree, tree)


@pytest.mark.parametrize(
    "name", ["out", "relative-out", "inside", "wrapper/inner", "linked-wrapper"]
)
def test_links_are_never_followed_wherever_they_point(tree: Path, name: str):
    assert is_linked_folder(tree / name, tree)


def test_a_folder_outside_the_root(tree: Path, tmp_path: Path):
    assert is_linked_folder(tmp_path / "elsewhere" / "project", tree)


def test_the_root_itself_may_be_a_link(tree: Path, tmp_path: Path):
    alias = tmp_path / "alias"
    alias.symlink_to(tree)
    assert not is_linked_folder(alias / "real", alias)
    assert is_linked_folder(alias / "out", alias)


def test_the_message_names_the_target(tree: Path):
    message = linked_folder_message(tree / "out")
    assert "“out”是一个链接" in message and os.fspath(Path("elsewhere") / "project") in message


@pytest.mark.parametrize("name", sorted(UNSTRIPPABLE))
def test_unstrippable_appendices_are_named_and_refused_when_strict(name: str):
    level, message, hint = unstrippable_finding(Path(f"附录/材料{name.upper()}"))
    assert level == "warning" and UNSTRIPPABLE[name] in message and hint
    level, message, _ = unstrippable_finding(Path(f"材料{name}"), strict=True)
    assert level == "error" and "不发布" in message


@pytest.mark.parametrize("name", ["a.docx", "a.xlsx", "a.pptx", "a.pdf", "a.txt", "a.jpg"])
def test_cleanable_appendices_need_no_finding(name: str):
    assert unstrippable_finding(Path(name)) is None
