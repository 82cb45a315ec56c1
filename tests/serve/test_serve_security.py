"""What the server refuses: other hosts (DNS rebinding), other origins and missing tokens (CSRF), big bodies,
paths out of build/html. Plain HTTP against a running ``bitext serve``, and the checks one by one."""

import json
import os

import pytest

from translate.serve.security import Guard, is_loopback, static_file

SEGMENT = {"slug": "interview", "seg": "b005.s1", "zh": "周明说，基础设施需要时间。",
           "en": "Zhou Ming says infrastructure takes time.", "version": ""}


# --- the checks, one by one ---------------------------------------------------------------------------------------


def test_guard_accepts_only_this_server():
    guard = Guard.for_address("127.0.0.1", 8123, token="t" * 64)
    assert guard.host_ok("127.0.0.1:8123") and guard.host_ok("localhost:8123") and guard.host_ok("[::1]:8123")
    assert not guard.host_ok("evil.example:8123")      # a rebound name
    assert not guard.host_ok("127.0.0.1:9999") and not guard.host_ok(None) and not guard.host_ok("")
    assert guard.origin_ok("http://127.0.0.1:8123", "127.0.0.1:8123")
    assert not guard.origin_ok("http://evil.example:8123", "127.0.0.1:8123")
    assert not guard.origin_ok("http://localhost:8123", "127.0.0.1:8123")   # same server, another origin
    assert not guard.origin_ok("null", "127.0.0.1:8123") and not guard.origin_ok(None, "127.0.0.1:8123")
    assert not guard.origin_ok("https://127.0.0.1:8123", "127.0.0.1:8123")
    assert guard.token_ok("t" * 64) and not guard.token_ok("t" * 63) and not guard.token_ok(None)
    assert Guard.for_address("127.0.0.1", 1).token != Guard.for_address("127.0.0.1", 1).token


def test_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.org")


@pytest.mark.hostile("serve")
def test_static_files_come_only_from_the_html_folder(tmp_path):
    html = tmp_path / "build" / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("index")
    (html / "a.html").write_text("a")
    (html / ".lock").write_text("")
    (html / "notes.py").write_text("")
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", html / "link.txt")
    os.symlink(tmp_path, html / "up")
    assert static_file(html, "/") == (html / "index.html").resolve()
    assert static_file(html, "/a.html") == (html / "a.html").resolve()
    for path in ("/../secret.txt", "/a/../../secret.txt", "/./a.html", "/.lock", "/notes.py", "/link.txt",
                 "/up/secret.txt", "/a.html\x00.txt", "/..\\secret.txt", "/missing.html", "//etc/passwd"):
        assert static_file(html, path) is None, path


# --- against the running server ------------------------------------------------------------------------------------


@pytest.mark.hostile("serve")
def test_a_save_without_the_token_or_from_another_origin_is_refused(served):
    before = served.store.read_bytes()
    cases = {
        "no token": {"X-Bitext-Token": None},
        "wrong token": {"X-Bitext-Token": "0" * 64},
        "other origin": {"Origin": "http://evil.example"},
        "other port": {"Origin": "http://127.0.0.1:1"},
        "no origin": {"Origin": None},
    }
    for name, headers in cases.items():
        status, reply = served.post("/_bitext/save", SEGMENT, **headers)
        assert status == 403, (name, status, reply)
        assert "refused" in reply["error"] or "token" in reply["error"], name
    assert served.store.read_bytes() == before


@pytest.mark.hostile("serve")
def test_dns_rebinding_reads_nothing(served):
    for path in ("/", "/interview.html", "/_bitext/segment?slug=interview&seg=b001.s1", "/_bitext/status"):
        status, _, data = served.request("GET", path, headers={"Host": f"evil.example:{served.port}"})
        assert status == 421, path
        assert b"bitext-serve-token" not in data and "周明".encode() not in data


@pytest.mark.hostile("serve")
def test_request_bodies_are_limited(served):
    big = {**SEGMENT, "en": "x" * (70 * 1024)}
    status, reply = served.post("/_bitext/save", big)
    assert status == 413 and "larger than 64 KiB" in reply["error"]
    # A body longer than its Content-Length says is cut there: what is read is not JSON.
    headers = {"Origin": served.origin, "X-Bitext-Token": served.token, "Content-Type": "application/json",
               "Content-Length": "10"}
    status, _, _ = served.request("POST", "/_bitext/proof", json.dumps(SEGMENT), headers)
    assert status == 400


@pytest.mark.hostile("serve")
def test_bad_requests_get_one_line_errors(served):
    assert served.post("/_bitext/save", {"slug": "interview"})[0] == 400
    status, _, _ = served.request("POST", "/_bitext/save", b"{}", {"Origin": served.origin,
                                                                     "X-Bitext-Token": served.token})
    assert status == 400  # not JSON by its Content-Type: a form post from another page cannot pass for one
    status, _, _ = served.request("PUT", "/interview.html", b"", {"Origin": served.origin})
    assert status == 405
    status, reply = served.post("/_bitext/proof", {"slug": "../../etc", "seg": "b001.s1", "en": "x"})
    assert status == 422 and "is not an article slug" in reply["error"]


@pytest.mark.parametrize("path", [
    "/../edition.toml", "/%2e%2e/edition.toml", "/..%2fedition.toml", "/%2e%2e%2f%2e%2e%2fcorpus/interview.en.po",
    "/../../corpus/interview.md", "/.bitext-build", "/_bitext/../../edition.toml", "/_bitext/edit.py",
    "/_bitext/%2e%2e/serve/app.py", "//etc/passwd", "/%00index.html",
])
@pytest.mark.hostile("serve")
def test_path_traversal_is_refused(served, path):
    status, _, data = served.request("GET", path)
    assert status in (400, 404), (path, status)
    assert b"engine" not in data and "周明".encode() not in data and b"root:" not in data


def test_served_pages_keep_their_policy_and_headers(served):
    status, headers, data = served.request("GET", "/interview.html")
    assert status == 200
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy and "connect-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"
    page = data.decode()
    assert "<script>" not in page and '<script src="/_bitext/edit.js" defer></script>' in page
    assert 'content="default-src \'none\'; script-src \'self\';' in page
    assert not (served.project / "build" / "html" / "edit.js").exists()  # the editor is never written to build/
    assert "bitext-serve-token" not in (served.project / "build" / "html" / "interview.html").read_text()
