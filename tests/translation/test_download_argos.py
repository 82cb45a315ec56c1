"""`bitext model download` from an Argos package index served on 127.0.0.1 by the test.

The index is tests/translation/fixtures/argos-index.json (its links name the test's server), the
package the fixture model tests/fixtures/models/translate-zh_en-tiny.argosmodel. The server drops
connections, ignores ranges, lies about sizes and never answers, on purpose.
"""

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from downloadservers import FileServer, Served

from translate.cli import cli
from translate.translation import argosindex
from translate.translation.download import DownloadError, ModelSource, parse_name

HERE = Path(__file__).parent
INDEX = HERE / "fixtures" / "argos-index.json"
TINY = HERE.parent / "fixtures" / "models" / "translate-zh_en-tiny.argosmodel"
PACKAGE = "/packages/translate-zh_en-tiny.argosmodel"


@pytest.fixture
def server():
    with FileServer() as running:
        running.files["/index.json"] = Served(INDEX.read_text(encoding="utf-8").replace("http://SERVER", running.url)
                                              .encode(), etag='"index-1"')
        running.files[PACKAGE] = Served(TINY.read_bytes(), etag='"tiny-1"')
        yield running


@pytest.fixture
def project(tmp_path, server, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    folder = tmp_path / "edition"
    folder.mkdir()
    write_settings(folder, server.url + "/index.json")
    return folder


def write_settings(folder: Path, index: str, extra: str = "") -> None:
    (folder / "edition.toml").write_text(f'[paths]\nmodels = "models"\n\n[translation]\nargos_index = "{index}"\n'
                                         f"{extra}", encoding="utf-8")


def run(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project), "model", "download", *args])


def leftovers(project) -> list[str]:
    """Whatever a download left in its cache folder."""
    cache = project.parent / "cache" / "bitext" / "downloads"
    return sorted(p.name for p in cache.rglob("*") if p.is_file()) if cache.exists() else []


def test_downloads_the_zh_en_package_and_installs_it(project, server):
    result = run(project, "argos")
    installed = project / "models" / "translate-zh_en-tiny"
    assert (result.exit_code, result.output) == (0, f"Installed translate-zh_en-1.0 (zh→en) into {installed}\n")
    assert (installed / "model" / "model.bin").is_file()
    origin = json.loads((installed / "bitext-download.json").read_text(encoding="utf-8"))
    assert origin["code"] == "translate-zh_en" and origin["package_version"] == "1.0"
    assert origin["url"] == server.url + PACKAGE and origin["index"] == server.url + "/index.json"
    assert origin["sha256"] == hashlib.sha256(TINY.read_bytes()).hexdigest()
    assert leftovers(project) == []
    listing = CliRunner().invoke(cli, ["--root", str(project), "model", "list"])
    assert listing.output == f"translate-zh_en-tiny  1.0       zh→en  {installed}\n"
    # the newest zh→en version (1.0, not 0.9), and only the index and that package were asked for
    assert [r.path for r in server.requests] == ["/index.json", PACKAGE]


def test_a_package_code_names_the_same_package(project):
    assert run(project, "translate-zh_en").exit_code == 0
    assert run(project, "argos:translate-zh_en", "--force").exit_code == 0


def test_an_installed_version_needs_force_and_nothing_is_downloaded(project, server):
    assert run(project, "argos").exit_code == 0
    again = run(project, "argos")
    assert again.exit_code == 1
    installed = project / "models" / "translate-zh_en-tiny"
    assert again.output == f"Error: translate-zh_en 1.0 is already installed at {installed}; pass --force to replace it\n"
    assert len(server.gets(PACKAGE)) == 1
    assert run(project, "argos", "--force").exit_code == 0


def test_a_404_is_one_line_and_installs_nothing(project, server):
    result = run(project, "translate-zh_en", "--revision", "0.9")
    assert result.exit_code == 1
    assert result.output == (f"Error: {server.url}/packages/translate-zh_en-0_9.argosmodel answered HTTP 404 "
                             "(Not Found)\n")
    assert not (project / "models").exists() and leftovers(project) == []


@pytest.mark.parametrize("name, message", [
    ("translate-en_zh", "'translate-en_zh' translates en→zh; bitext needs zh→en (zh→en there: 'translate-zh_en')"),
    ("translate-fr_en", "no package 'translate-fr_en' in the Argos index at {url}/index.json "
                        "(zh→en there: 'translate-zh_en')"),
    ("sbd-zh", "no package 'sbd-zh' in the Argos index at {url}/index.json (zh→en there: 'translate-zh_en')"),
])
def test_packages_that_are_not_zh_en_are_refused(project, server, name, message):
    result = run(project, name)
    assert (result.exit_code, result.output) == (1, f"Error: {message.format(url=server.url)}\n")


def test_an_unknown_version_lists_the_versions_there(project):
    result = run(project, "translate-zh_en", "--revision", "2.0")
    assert result.output == "Error: the Argos index has no version '2.0' of 'translate-zh_en' (it has '0.9', '1.0')\n"


def test_a_hash_mismatch_is_one_line_and_the_download_is_removed(project, server):
    index = json.loads(server.files["/index.json"].data)
    index[2]["sha256"] = "0" * 64
    server.files["/index.json"] = Served(json.dumps(index).encode())
    result = run(project, "argos")
    assert result.exit_code == 1
    digest = hashlib.sha256(TINY.read_bytes()).hexdigest()
    assert result.output == (f"Error: translate-zh_en 1.0 from {server.url}{PACKAGE} does not match the index's "
                             f"sha256 (got {digest[:12]}…, expected 000000000000…); the download was removed, "
                             "try again\n")
    assert leftovers(project) == [] and not (project / "models").exists()


def test_a_matching_hash_installs(project, server):
    index = json.loads(server.files["/index.json"].data)
    index[2]["sha256"] = hashlib.sha256(TINY.read_bytes()).hexdigest().upper()
    server.files["/index.json"] = Served(json.dumps(index).encode())
    assert run(project, "argos").exit_code == 0


def test_a_dropped_connection_resumes_with_a_range_request(project, server):
    server.files[PACKAGE].drops = 1
    result = run(project, "argos")
    assert result.exit_code == 0, result.output
    first, second = server.gets(PACKAGE)
    assert "range" not in first.headers
    assert second.headers["range"] == f"bytes={TINY.stat().st_size // 2}-"
    assert second.headers["if-range"] == '"tiny-1"'
    installed = project / "models" / "translate-zh_en-tiny" / "model" / "model.bin"
    assert installed.stat().st_size == 1020144


def test_an_interrupted_download_resumes_on_the_next_run_and_no_half_file_is_installed(project, server):
    server.files[PACKAGE].drops = argosindex.ATTEMPTS
    size = TINY.stat().st_size
    result = run(project, "argos")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: the download of translate-zh_en 1.0 from {server.url}{PACKAGE} was "
                                    "interrupted at ")
    assert result.output.endswith("; run the command again to resume\n") and result.output.count("\n") == 1
    assert not (project / "models").exists()
    part = project.parent / "cache" / "bitext" / "downloads" / "argos" / "translate-zh_en-1.0.argosmodel.part"
    kept = part.stat().st_size
    assert 0 < kept < size
    server.requests.clear()
    assert run(project, "argos").exit_code == 0
    (resumed,) = server.gets(PACKAGE)
    assert resumed.headers["range"] == f"bytes={kept}-"
    assert leftovers(project) == []
    assert (project / "models" / "translate-zh_en-tiny" / "sentencepiece.model").is_file()


def test_a_server_that_ignores_range_restarts_cleanly(project, server):
    server.files[PACKAGE].drops = 1
    server.files[PACKAGE].ranges = False
    result = run(project, "argos")
    assert result.exit_code == 0, result.output
    assert [r.headers.get("range") is not None for r in server.gets(PACKAGE)] == [False, True]


def test_a_changed_file_is_not_resumed(project, server):
    """If-Range carries the validator of the first answer: a server whose file changed sends it whole."""
    server.files[PACKAGE].drops = argosindex.ATTEMPTS
    assert run(project, "argos").exit_code == 1
    server.files[PACKAGE] = Served(TINY.read_bytes(), etag='"tiny-2"')
    assert run(project, "argos").exit_code == 0


def test_a_download_that_fails_the_install_checks_is_not_installed_or_kept(project, server):
    server.files[PACKAGE] = Served(b"<html>a captive portal's login page</html>", etag='"portal"')
    result = run(project, "argos")
    archive = project.parent / "cache" / "bitext" / "downloads" / "argos" / "translate-zh_en-1.0.argosmodel"
    assert (result.exit_code, result.output) == (1, f"Error: {archive}: not a zip archive\n")
    assert leftovers(project) == [] and not (project / "models").exists()


def test_a_package_over_the_size_limit_is_refused_before_it_is_downloaded(project, server):
    write_settings(project, server.url + "/index.json", "max_model_size_mb = 1\n")
    result = run(project, "argos")
    assert result.exit_code == 1
    assert result.output == ("Error: translate-zh_en 1.0 is 1.0 MiB, more than translation.max_model_size_mb = 1 "
                             "allows; raise it in edition.toml if the package is genuine\n")
    assert leftovers(project) == []


def test_a_package_of_unknown_size_is_stopped_at_the_limit(project, server):
    write_settings(project, server.url + "/index.json", "max_model_size_mb = 1\n")
    server.files[PACKAGE].length = False
    result = run(project, "argos")
    assert result.output == ("Error: translate-zh_en 1.0 runs past translation.max_model_size_mb = 1 MiB; the "
                             "download was stopped and removed\n")
    assert leftovers(project) == []


@pytest.mark.hostile("models")
def test_an_index_over_the_limit_is_refused(project, server, monkeypatch):
    monkeypatch.setattr(argosindex, "MAX_INDEX_BYTES", 1024)
    server.files["/index.json"] = Served(b"[" + b" " * 2048 + b"]")
    result = run(project, "argos")
    assert result.output == (f"Error: the package index at {server.url}/index.json is 2.0 KiB; an index over 1.0 KiB "
                             "is refused (is translation.argos_index right?)\n")
    server.files["/index.json"] = Served(b"[" + b" " * 2048 + b"]", length=False)
    result = run(project, "argos")
    assert result.output == (f"Error: the package index at {server.url}/index.json runs past 1.0 KiB; it is refused "
                             "(is translation.argos_index right?)\n")


@pytest.mark.hostile("models")
@pytest.mark.parametrize("body, message", [
    (b"<html>not json</html>", "is not JSON (Expecting value: line 1 column 1 (char 0))"),
    (b"[" * 100 + b"]" * 100, "is not JSON (JSON nested deeper than 32 levels)"),
    (b'{"packages": []}', "is not a list of packages"),
    (b"\xff\xfe", "is not JSON ('utf-8' codec can't decode byte 0xff in position 0: …)"),
])
def test_an_index_that_is_not_a_list_is_one_line(project, server, body, message):
    server.files["/index.json"] = Served(body)
    result = run(project, "argos")
    assert result.exit_code == 1
    expected = f"Error: the package index at {server.url}/index.json {message}\n"
    assert result.output[:60] == expected[:60] and result.output.count("\n") == 1


@pytest.mark.hostile("models")
def test_hostile_entries_never_become_paths_or_links(project, server, tmp_path):
    package = TINY.read_bytes()
    index = [
        {"code": "../../../escape", "from_code": "zh", "to_code": "en", "package_version": "../9",
         "links": ["file:///etc/passwd"]},
        {"code": "/abs/path", "from_code": "zh", "to_code": "en", "package_version": "1.0",
         "links": [server.url + "/p.argosmodel"]},
        {"code": "translate-zh_en", "from_code": ["zh"], "to_code": "en", "links": "not a list"},
        "not an entry",
    ]
    server.files["/index.json"] = Served(json.dumps(index).encode())
    server.files["/p.argosmodel"] = Served(package, etag='"p"')
    result = run(project, "argos", "--revision", "../9")
    assert result.output == "Error: the Argos index gives '../../../escape ../9' no http or https link\n"
    assert run(project, "argos").exit_code == 0  # /abs/path 1.0, fetched into the cache folder only
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "edition"]
    assert not any(".." in p.name for p in (tmp_path / "cache").rglob("*"))


@pytest.mark.hostile("models")
def test_a_redirect_to_an_ftp_url_is_refused(project, server):
    server.files[PACKAGE] = Served(b"", status=302, headers={"Location": "ftp://127.0.0.1/passwd"})
    result = run(project, "argos")
    assert result.output == (f"Error: {server.url}{PACKAGE} redirects to ftp://127.0.0.1/passwd, which is not an http "
                             "or https URL\n")


def test_an_index_that_is_not_http_is_refused(project, server):
    write_settings(project, "file:///etc/passwd")
    result = run(project, "argos")
    assert result.output == "Error: file:///etc/passwd is not an http or https URL\n"


def test_a_server_that_never_answers_times_out(project, server, monkeypatch):
    monkeypatch.setattr(argosindex, "TIMEOUT", 0.2)
    server.delay = 1.0
    result = run(project, "argos")
    assert result.output == f"Error: {server.url}/index.json did not answer in 0.2 s\n"


def test_nothing_listens_is_one_line(project, tmp_path):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    write_settings(project, f"http://127.0.0.1:{port}/index.json")
    result = run(project, "argos")
    assert result.output.startswith(f"Error: cannot reach http://127.0.0.1:{port}/index.json (")
    assert result.output.count("\n") == 1


@pytest.mark.parametrize("name, source", [
    ("argos", ModelSource("argos", "")),
    ("translate-zh_en", ModelSource("argos", "translate-zh_en")),
    ("argos:translate-zh_en", ModelSource("argos", "translate-zh_en")),
    ("Helsinki-NLP/opus-mt-zh-en", ModelSource("hub", "Helsinki-NLP/opus-mt-zh-en")),
    ("hf:owner/model.v2", ModelSource("hub", "owner/model.v2")),
])
def test_names_say_where_to_download_from(name, source):
    assert parse_name(name) == source


@pytest.mark.hostile("models")
@pytest.mark.parametrize("name", ["../x", "argos:../x", "hf:a/../b", "/etc/passwd", "a/b/c", "owner/.hidden",
                                  "hf:owner/x--y", "argos:", "a/b\x1b[2J", "translate zh"])
def test_names_that_could_become_odd_paths_are_refused(name):
    with pytest.raises(DownloadError):
        parse_name(name)


class RecordedBars:
    """Stands in for translate.progress.progress: each bar's total and what it was advanced by."""

    def __init__(self):
        self.bars: list[tuple[str, int, list[int]]] = []

    def __call__(self, description, total):
        from contextlib import contextmanager

        @contextmanager
        def bar():
            steps: list[int] = []
            self.bars.append((description, total, steps))
            yield lambda n=1, note=None: steps.append(n)

        return bar()


def test_the_progress_bar_counts_to_its_total_even_after_a_resume(project, server, monkeypatch):
    bars = RecordedBars()
    monkeypatch.setattr(argosindex, "progress", bars)
    server.files[PACKAGE].drops = 1
    assert run(project, "argos").exit_code == 0
    (first, _, dropped), (second, total, resumed) = bars.bars
    assert first == second == "Downloading translate-zh_en 1.0 (KiB)"
    assert total == -(-TINY.stat().st_size // 1024) == sum(resumed) and 0 < sum(dropped) < total
    assert resumed[0] == sum(dropped)  # the resumed bar starts where the dropped one stopped


def test_the_hub_progress_bar_counts_bytes_and_stops_a_file_past_its_size(monkeypatch):
    from translate.translation import hub

    bars = RecordedBars()
    monkeypatch.setattr("translate.progress.progress", bars)
    bar = hub._bar_class(5000, "model.bin")(desc="model.bin", total=5000, initial=1000, unit="B")
    for n in (1, 1023, 1500, 1476):
        bar.update(n)
    bar.close()
    (description, total, steps), = bars.bars
    assert (description, total, sum(steps)) == ("Downloading model.bin (KiB)", 5, 5)
    with pytest.raises(DownloadError, match=r"^model.bin runs past its listed size \(5,000 bytes\)"):
        hub._bar_class(5000, "model.bin")(total=5000).update(5001)
