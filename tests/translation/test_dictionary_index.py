"""CC-CEDICT's index kept between processes: the same lines as indexing the file, made again when of no use."""

import marshal

import pytest

import translate.dictionary as dictionary
from translate.dictionary import INDEX_FORMAT, index_cache


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def indexed():
    return dictionary._index(dictionary._source())


def _load():
    return dictionary.load_dictionary.__wrapped__()  # a fresh load, not the process's one


def _indexing_forbidden(monkeypatch):
    def refuse(source):
        raise AssertionError("indexed the file although the kept index was of use")
    monkeypatch.setattr(dictionary, "_index", refuse)


def test_the_kept_index_is_the_files_index(cache_home, indexed, monkeypatch):
    first = _load()
    assert index_cache() == cache_home / "bitext" / "cc-cedict-index.marshal" and index_cache().is_file()
    _indexing_forbidden(monkeypatch)
    second = _load()
    assert (second.version, second._lines) == indexed == (first.version, first._lines)
    assert second.lookup("模型") == first.lookup("模型") and second.lookup("模型")
    assert ("計算" in second, "计算" in second, "不是一个词" in second, len(second)) == \
        ("計算" in first, "计算" in first, False, len(first))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other stamp", "not a dict", "not strings", "empty"])
def test_an_index_of_no_use_is_made_again(cache_home, indexed, damage):
    _load()
    path = index_cache()
    stamp, version, lines = marshal.loads(path.read_bytes())
    assert stamp[0] == INDEX_FORMAT
    broken = {
        "garbage": b"\x00not marshal at all",
        "truncated": path.read_bytes()[:1000],
        "other stamp": marshal.dumps(((INDEX_FORMAT + 1, *stamp[1:]), version, {"模型": "x"})),
        "not a dict": marshal.dumps((stamp, version, [("模型", "x")])),
        "not strings": marshal.dumps((stamp, version, {"模型": 1})),
        "empty": b"",
    }[damage]
    path.write_bytes(broken)
    again = _load()
    assert (again.version, again._lines) == indexed
    assert marshal.loads(path.read_bytes())[0] == stamp  # written anew, whole


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path, monkeypatch, indexed):
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    loaded = _load()
    assert (loaded.version, loaded._lines) == indexed
    assert blocked.read_text() == "not a folder"
    assert not list(tmp_path.glob("**/.cc-cedict-*"))
