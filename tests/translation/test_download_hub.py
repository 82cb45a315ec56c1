"""`bitext model download OWNER/REPO` from a fake Hugging Face Hub on 127.0.0.1 (HF_ENDPOINT), and --convert.

The fake Hub (downloadservers.FakeHub) answers ``huggingface_hub``'s own calls: the model listing with
sizes and hashes, then HEAD and GET of each file at the pinned commit. Its CTranslate2 model is the
fixture tests/fixtures/models/opus-mt-zh-en-tiny. The converter is a stand-in script on PATH.
"""

import hashlib
import importlib
import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from downloadservers import FakeHub, HubRepo, Served

from translate.cli import cli

OPUS = Path(__file__).resolve().parents[1] / "fixtures" / "models" / "opus-mt-zh-en-tiny"
REPO = "bitext-test/opus-mt-zh-en-tiny"
MAIN, V1 = "a1" * 20, "b2" * 20


def opus_files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(OPUS.iterdir()) if p.is_file()}


def ct2_repo(**kwargs) -> HubRepo:
    files = {**opus_files(), "README.md": b"# tiny\n", "pytorch_model.bin": b"\0" * 64, "sub/model.bin": b"x"}
    return HubRepo(files, lfs=("model.bin", "pytorch_model.bin", "source.spm", "target.spm"),
                   commits={"main": MAIN, "v1": V1}, **kwargs)


@pytest.fixture
def hub(tmp_path, monkeypatch):
    pytest.importorskip("huggingface_hub", reason="the `download` extra (huggingface_hub) is not installed")
    with FakeHub({REPO: ct2_repo()}) as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
        monkeypatch.setenv("HF_HUB_OFFLINE", "0")
        constants = importlib.import_module("huggingface_hub.constants")
        monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
        # read at import: whatever huggingface_hub reaches on its own would go to the fake Hub, never out
        monkeypatch.setattr(constants, "ENDPOINT", server.url)
        monkeypatch.setattr(constants, "HUGGINGFACE_CO_URL_TEMPLATE",
                            server.url + "/{repo_id}/resolve/{revision}/{filename}")
        monkeypatch.delenv("HF_HUB_DISABLE_TELEMETRY", raising=False)
        monkeypatch.setattr(constants, "HF_HUB_DISABLE_TELEMETRY", False)
        monkeypatch.delenv("HF_TOKEN", raising=False)
        monkeypatch.delenv("HF_HUB_CACHE", raising=False)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
            monkeypatch.delenv(proxy, raising=False)
        yield server
    importlib.import_module("huggingface_hub.utils._http").close_session()  # no connection outlives its server


@pytest.fixture
def project(tmp_path):
    folder = tmp_path / "edition"
    folder.mkdir()
    (folder / "edition.toml").write_text('[paths]\nmodels = "models"\n', encoding="utf-8")
    return folder


def run(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project), "model", "download", *args])


def staging_left(project) -> list[Path]:
    hub = project.parent / "cache" / "bitext" / "downloads" / "hub"
    return list(hub.iterdir()) if hub.exists() else []


def test_downloads_a_ct2_model_at_a_pinned_commit(project, hub):
    result = run(project, REPO)
    assert result.exit_code == 0, result.output
    installed = project / "models" / "opus-mt-zh-en-tiny"
    assert result.output.startswith("Installed opus-mt/opus-mt-zh-en-tiny@")
    assert result.output.endswith(f" (zh→en) into {installed}\n")
    assert sorted(p.name for p in installed.iterdir()) == sorted([*opus_files(), "bitext-model.json"])
    for name, data in opus_files().items():
        assert (installed / name).read_bytes() == data
    marker = json.loads((installed / "bitext-model.json").read_text(encoding="utf-8"))
    assert (marker["family"], marker["source"]) == ("opus-mt", f"hf:{REPO}@{MAIN}")
    origin = marker["download"]
    assert (origin["repo"], origin["revision"], origin["endpoint"]) == (REPO, MAIN, hub.url)
    assert origin["files"]["model.bin"] == "sha256:" + hashlib.sha256(opus_files()["model.bin"]).hexdigest()
    assert origin["files"]["config.json"].startswith("git-sha1:")
    # the listing once, at main; every file at the commit main named; nothing else of the repository
    assert [r.path for r in hub.requests if r.path.startswith("/api/")] == \
        [f"/api/models/{REPO}/revision/main?blobs=true"]  # (no telemetry: /api/agent-harnesses is never asked)
    fetched = {r.path.rsplit("/", 1)[1] for r in hub.gets("/resolve/")}
    assert fetched == set(opus_files())
    assert all(f"/resolve/{MAIN}/" in r.path for r in hub.requests if "/resolve/" in r.path)
    assert staging_left(project) == []


def test_a_revision_pins_another_commit(project, hub):
    assert run(project, REPO, "--revision", "v1").exit_code == 0
    marker = json.loads((project / "models" / "opus-mt-zh-en-tiny" / "bitext-model.json").read_text("utf-8"))
    assert marker["download"]["revision"] == V1
    assert all(f"/resolve/{V1}/" in r.path for r in hub.requests if "/resolve/" in r.path)


def test_the_hf_prefix_and_force(project, hub):
    assert run(project, "hf:" + REPO).exit_code == 0
    again = run(project, REPO)
    assert again.output == (f"Error: opus-mt-zh-en-tiny is already installed at "
                            f"{project / 'models' / 'opus-mt-zh-en-tiny'}; pass --force to replace it\n")
    assert run(project, REPO, "--force").exit_code == 0


def test_a_hash_mismatch_is_one_line_and_the_download_is_removed(project, hub):
    real = opus_files()["model.bin"]
    hub.repos[REPO].faults["model.bin"] = Served(bytes(b ^ 0xFF for b in real[:16]) + real[16:])
    result = run(project, REPO)
    assert result.exit_code == 1
    assert result.output == (f"Error: model.bin of {REPO}@{MAIN[:12]} does not match the Hub's sha256 (got "
                             f"{hashlib.sha256(hub.repos[REPO].faults['model.bin'].data).hexdigest()[:12]}…, "
                             f"expected {hashlib.sha256(real).hexdigest()[:12]}…); the download was removed, "
                             "try again\n")
    assert staging_left(project) == [] and not (project / "models").exists()


def test_a_git_blob_mismatch_is_caught_too(project, hub):
    hub.repos[REPO].faults["config.json"] = Served(opus_files()["config.json"].replace(b"{", b" ", 1))
    result = run(project, REPO)
    assert result.output.startswith(f"Error: config.json of {REPO}@{MAIN[:12]} does not match the Hub's git-sha1")


def test_an_unknown_repository_is_one_line(project, hub):
    result = run(project, "nobody/nothing")
    assert (result.exit_code, result.output) == (
        1, f"Error: no repository 'nobody/nothing' on the Hub ({hub.url}); check the name (OWNER/REPO), or set "
           "HF_TOKEN for a private one\n")


def test_an_unknown_revision_is_one_line(project, hub):
    result = run(project, REPO, "--revision", "v9")
    assert result.output == f"Error: '{REPO}' has no revision 'v9' on the Hub\n"


def test_a_listed_file_that_is_404_is_one_line(project, hub):
    hub.repos[REPO].faults["target.spm"] = Served(b"", status=404)
    result = run(project, REPO)
    assert (result.exit_code, result.output) == (
        1, f"Error: a file of {REPO}@{MAIN[:12]} is not on the Hub (HTTP 404); the repository changed, try again\n")
    assert staging_left(project) == [] and not (project / "models").exists()


def test_a_dropped_connection_resumes_with_a_range_request(project, hub, monkeypatch):
    # huggingface_hub keeps what it received in pieces of DOWNLOAD_CHUNK_SIZE (10 MB): make a piece smaller
    # than half of the tiny model.bin, as a real model's pieces are
    monkeypatch.setattr(importlib.import_module("huggingface_hub.constants"), "DOWNLOAD_CHUNK_SIZE", 64 * 1024)
    monkeypatch.setattr("time.sleep", lambda seconds: None)  # huggingface_hub waits 1 s before it resumes
    hub.repos[REPO].faults["model.bin"] = Served(b"", drops=1)
    result = run(project, REPO)
    assert result.exit_code == 0, result.output
    first, second = hub.gets("/model.bin")
    size = len(opus_files()["model.bin"])
    assert "range" not in first.headers
    kept = int(second.headers["range"].removeprefix("bytes=").removesuffix("-"))
    assert 0 < kept <= size // 2 and kept % (64 * 1024) == 0
    assert (project / "models" / "opus-mt-zh-en-tiny" / "model.bin").read_bytes() == opus_files()["model.bin"]


def test_a_dropped_connection_with_nothing_kept_restarts_cleanly(project, hub, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    hub.repos[REPO].faults["model.bin"] = Served(b"", drops=1)
    result = run(project, REPO)
    assert result.exit_code == 0, result.output
    assert ["range" in r.headers for r in hub.gets("/model.bin")] == [False, False]
    assert (project / "models" / "opus-mt-zh-en-tiny" / "model.bin").read_bytes() == opus_files()["model.bin"]


def test_a_download_that_keeps_failing_leaves_nothing(project, hub, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)  # huggingface_hub waits 1 s before each resume
    hub.repos[REPO].faults["model.bin"] = Served(b"", drops=100, ranges=False)
    result = run(project, REPO)
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert result.output.startswith(f"Error: cannot download {REPO}@{MAIN[:12]} from the Hub (")
    assert staging_left(project) == [] and not (project / "models").exists()


def test_a_model_over_the_size_limit_is_refused_before_any_download(project, hub):
    (project / "edition.toml").write_text('[paths]\nmodels = "models"\n[translation]\nmax_model_size_mb = 1\n',
                                          encoding="utf-8")
    result = run(project, REPO)
    total = sum(len(data) for data in opus_files().values())
    assert result.output == (f"Error: {REPO} is {total / 2**20:,.1f} MiB, more than translation.max_model_size_mb = 1 "
                             "allows; raise it in edition.toml if the model is genuine\n")
    assert hub.gets("/resolve/") == []


@pytest.mark.hostile("models")
def test_a_file_longer_than_listed_is_stopped(project, hub):
    """The listing says 1,000 bytes; the server sends the whole model.bin (and says so in its HEAD)."""
    hub.repos[REPO].listed_sizes["model.bin"] = 1000
    result = run(project, REPO)
    assert result.output == ("Error: model.bin runs past its listed size (1,000 bytes); the download was stopped and "
                             "removed\n")
    assert staging_left(project) == [] and not (project / "models").exists()


def test_a_repository_without_model_bin_says_to_convert(project, hub):
    hub.repos["Helsinki-NLP/opus-mt-zh-en"] = HubRepo({"config.json": b"{}", "pytorch_model.bin": b"\0" * 8})
    result = run(project, "Helsinki-NLP/opus-mt-zh-en")
    assert result.output == (f"Error: Helsinki-NLP/opus-mt-zh-en@{MAIN[:12]} has no model.bin: it is not a "
                             "CTranslate2 model; convert a transformers model with --convert (needs transformers and "
                             "torch)\n")


def test_a_model_that_fails_the_install_checks_is_not_installed(project, hub):
    files = opus_files()
    del files["target.spm"]
    hub.repos["x/broken"] = HubRepo(files)
    result = run(project, "x/broken")
    assert result.exit_code == 1
    assert "incomplete OPUS-MT model: target.spm is missing" in result.output and result.output.count("\n") == 1
    assert staging_left(project) == [] and not (project / "models" / "broken").exists()


@pytest.mark.hostile("models")
def test_hostile_file_names_in_the_listing_are_never_fetched(project, hub):
    hub.repos[REPO].files.update({"../evil.bin": b"x", "/etc/model.bin": b"x", "sub/../../model.bin": b"x"})
    assert run(project, REPO).exit_code == 0
    fetched = {r.path.split(f"/resolve/{MAIN}/", 1)[1] for r in hub.gets("/resolve/")}
    assert fetched == set(opus_files())


def test_hf_hub_offline_is_one_line(project, hub, monkeypatch):
    monkeypatch.setattr(importlib.import_module("huggingface_hub.constants"), "HF_HUB_OFFLINE", True)
    result = run(project, REPO)
    assert (result.exit_code, result.output) == (
        1, "Error: HF_HUB_OFFLINE is set, so nothing can be downloaded from the Hub; unset it\n")
    assert hub.requests == []


def test_huggingface_hub_missing_is_one_line(project, monkeypatch):
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)
    result = run(project, REPO)
    assert result.output == ("Error: Hub models are downloaded through huggingface_hub, which is not installed; "
                             "install it with `pip install 'bitext[download]'` (or `pip install huggingface-hub`)\n")


# -- --convert ------------------------------------------------------------------------------------

FAKE_CONVERTER = """#!{python}
# A stand-in for ct2-transformers-converter: records its command line, writes the fixture model.
import json, os, shutil, sys
args = sys.argv[1:]
with open({log!r}, "a") as log:
    log.write(json.dumps({{"args": args, "HF_ENDPOINT": os.environ.get("HF_ENDPOINT")}}) + "\\n")
if {fail!r}:
    print("Traceback (most recent call last):", file=sys.stderr)
    print("OSError: model.safetensors is not a valid checkpoint", file=sys.stderr)
    sys.exit(1)
out = args[args.index("--output_dir") + 1]
shutil.copytree({model!r}, out)
"""


@pytest.fixture
def converter(tmp_path, monkeypatch):
    """A fake ct2-transformers-converter first on PATH; returns a function making transformers and torch findable."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "converter.log"

    def install(*, fail: bool = False, packages: tuple[str, ...] = ("transformers", "torch")):
        script = bin_dir / "ct2-transformers-converter"
        script.write_text(FAKE_CONVERTER.format(python=sys.executable, log=str(log), fail=fail, model=str(OPUS)),
                          encoding="utf-8")
        script.chmod(0o755)
        stubs = tmp_path / "stubs"
        for package in packages:
            (stubs / package).mkdir(parents=True, exist_ok=True)
            (stubs / package / "__init__.py").write_text("", encoding="utf-8")
        monkeypatch.setenv("PYTHONPATH", str(stubs))
        monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
        return log

    return install


@pytest.fixture
def transformers_repo(hub):
    hub.repos["Helsinki-NLP/opus-mt-zh-en"] = HubRepo(
        {"config.json": b"{}", "pytorch_model.bin": b"\0" * 64, "source.spm": b"s", "target.spm": b"t",
         "vocab.json": b"{}"}, lfs=("pytorch_model.bin",))
    return hub


def test_convert_runs_the_converter_at_the_pinned_commit(project, transformers_repo, converter):
    log = converter()
    result = run(project, "Helsinki-NLP/opus-mt-zh-en", "--convert")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Converting Helsinki-NLP/opus-mt-zh-en@{MAIN[:12]} with "
                                    "ct2-transformers-converter (this takes a while)…\nInstalled opus-mt/opus-mt-zh-en@")
    (call,) = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    output = call["args"][call["args"].index("--output_dir") + 1]
    assert call["args"] == ["--model", "Helsinki-NLP/opus-mt-zh-en", "--revision", MAIN, "--output_dir", output,
                            "--copy_files", "source.spm", "target.spm", "--quantization", "int8"]
    assert Path(output).name == "opus-mt-zh-en" and call["HF_ENDPOINT"] == transformers_repo.url
    installed = project / "models" / "opus-mt-zh-en"
    marker = json.loads((installed / "bitext-model.json").read_text(encoding="utf-8"))
    assert (marker["family"], marker["download"]["source"], marker["download"]["revision"]) == \
        ("opus-mt", "hub-converted", MAIN)
    assert staging_left(project) == []
    assert transformers_repo.gets("/resolve/") == []  # the converter fetches the weights, not bitext


def test_convert_with_another_quantization(project, transformers_repo, converter):
    log = converter()
    assert run(project, "Helsinki-NLP/opus-mt-zh-en", "--convert", "--quantization", "float32").exit_code == 0
    assert json.loads(log.read_text(encoding="utf-8"))["args"][-2:] == ["--quantization", "float32"]


def test_convert_without_torch_says_what_to_install(project, transformers_repo, converter):
    import importlib.util

    if importlib.util.find_spec("torch") is not None:
        pytest.skip("torch is installed in this Python")
    log = converter(packages=("transformers",))
    result = run(project, "Helsinki-NLP/opus-mt-zh-en", "--convert")
    script = Path(os.environ["PATH"].split(os.pathsep)[0]) / "ct2-transformers-converter"
    assert (result.exit_code, result.output) == (
        1, f"Error: converting needs torch in the Python of {script} ({sys.executable}): pip install transformers "
           "torch sentencepiece (gigabytes; or download a model already converted, without --convert)\n")
    assert not log.exists()


def test_convert_without_a_converter_says_what_to_install(project, transformers_repo, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "empty" / "python"))
    result = run(project, "Helsinki-NLP/opus-mt-zh-en", "--convert")
    assert result.output == ("Error: converting needs ct2-transformers-converter (it comes with ctranslate2) and "
                             "transformers and torch beside it: pip install transformers torch sentencepiece "
                             "(gigabytes; or download a model already converted, without --convert)\n")


def test_a_failing_converter_is_one_line(project, transformers_repo, converter):
    converter(fail=True)
    result = run(project, "Helsinki-NLP/opus-mt-zh-en", "--convert")
    assert (result.exit_code, result.output.split("\n", 1)[1]) == (
        1, f"Error: ct2-transformers-converter failed on Helsinki-NLP/opus-mt-zh-en@{MAIN[:12]}: OSError: "
           "model.safetensors is not a valid checkpoint\n")
    assert staging_left(project) == [] and not (project / "models").exists()


def test_convert_needs_a_tokenizer_bitext_runs(project, hub, converter):
    converter()
    hub.repos["facebook/bart-base"] = HubRepo({"config.json": b"{}", "vocab.json": b"{}"})
    result = run(project, "facebook/bart-base", "--convert")
    assert result.output == (f"Error: facebook/bart-base@{MAIN[:12]} has none of the tokenizers bitext runs "
                             "(source.spm, target.spm, sentencepiece.bpe.model); bitext converts OPUS-MT, M2M-100 and "
                             "NLLB models\n")


def test_an_argos_package_needs_no_conversion(project):
    result = run(project, "argos", "--convert")
    assert result.output == ("Error: --convert converts a Hub model (OWNER/REPO); an Argos package needs no "
                             "conversion\n")
