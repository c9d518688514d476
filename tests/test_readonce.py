"""A file read once per process (evaluation.inputs.readonce): the reports of one insats built in
one kernel parse and check their shared files once, and nothing kept changes what a reading gives."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from evaluation.build.report import open_report
from evaluation.core import collector
from evaluation.core.errors import InputError
from evaluation.inputs import files, register, textfiles, yamlread

DEMO = Path(__file__).resolve().parent.parent / "evaluation" / "demo"


@pytest.fixture(autouse=True)
def nothing_kept():
    for reader in (files._read, register.load_register, yamlread.read_yaml):
        reader.forget()
    yield


def test_two_reports_of_one_insats_read_its_register_once(monkeypatch):
    read = []
    original = files.read_csv
    monkeypatch.setattr(files, "read_csv", lambda path: read.append(Path(path).name) or original(path))
    first, second = sorted((DEMO / "params" / "steget").glob("*.yaml"))
    tables_first = {t.id: t.frame for t in open_report(first).document.tables}
    second_report = open_report(second).document
    assert read.count("deltagare.csv") == 1
    # the second report is its own period's: 2024/25 is not 2023/24
    again = {t.id: t.frame for t in open_report(first).document.tables}
    assert read.count("deltagare.csv") == 1
    assert again.keys() == tables_first.keys()
    assert all(again[k].equals(tables_first[k]) for k in again)
    assert second_report.title != open_report(first).document.title


def test_a_copy_is_given_each_time(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    raw, _ = files._read(path, False, frozenset())
    raw.frame["a"] = "ändrad"
    again, _ = files._read(path, False, frozenset())
    assert again.frame["a"].tolist() == ["1"]


def test_same_size_and_time_but_new_bytes_is_read_again(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("namn: ett\n", encoding="utf-8")
    stamp = path.stat()
    assert yamlread.read_yaml(path) == {"namn": "ett"}
    path.write_text("namn: två\n".replace("två", "tre"), encoding="utf-8")  # the same number of bytes
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert path.stat().st_size == stamp.st_size and path.stat().st_mtime_ns == stamp.st_mtime_ns
    assert yamlread.read_yaml(path) == {"namn": "tre"}


def test_what_a_reading_noted_is_noted_each_time(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("namn: Det är **fet** text\n", encoding="utf-8")  # Markdown in a file shown as written: a notice
    seen = []
    for _ in range(2):
        with collector.collecting() as found:
            yamlread.read_yaml(path)
        seen.append([(n.line, n.message) for n in found])
    assert seen[0] and seen[0] == seen[1]


def test_a_file_allowed_in_one_folder_is_checked_again_in_another(tmp_path):
    data, other = tmp_path / "data", tmp_path / "annan"
    data.mkdir()
    other.mkdir()
    (data / "m.yaml").write_text("namn: ett\n", encoding="utf-8")
    (other / "m.yaml").symlink_to(data / "m.yaml")
    with textfiles.confined(tmp_path):
        assert yamlread.read_yaml(other / "m.yaml") == {"namn": "ett"}
    with textfiles.confined(other), pytest.raises(InputError, match="leder ut ur"):
        yamlread.read_yaml(other / "m.yaml")


def test_a_reading_that_failed_is_not_kept(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("namn: [ett\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError, match="ogiltig YAML"):
            yamlread.read_yaml(path)
    path.write_text("namn: [ett]\n", encoding="utf-8")
    assert yamlread.read_yaml(path) == {"namn": ["ett"]}
