"""Aligned English in ``bitext serve``: the editor shows its origin and confidence, n/p reach the beads the aligner
was unsure of (and not the sure ones), and a save turns the sentence into a translator's edit."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from alignedtools import JOINED_EN, aligned_edition
from translate.serve.editing import aligned_state
from translate.serve.pages import serve_page

ASSETS = Path(__file__).resolve().parents[2] / "translate" / "serve" / "assets"


def _entry(**fields):
    base = dict(aligned=False, confidence=None, joined="", edited=False, en="", stale=False)
    return SimpleNamespace(**{**base, **fields})


def test_the_editor_is_told_an_aligned_segments_confidence_and_whether_to_check_it():
    unsure = aligned_state(_entry(aligned=True, confidence=0.42, edited=True, en=JOINED_EN), {})
    assert unsure == {"confidence": 0.42, "joined": "", "review": True}
    sure = aligned_state(_entry(aligned=True, confidence=0.93, edited=True, en="x"), {})
    assert sure["review"] is False
    joined = aligned_state(_entry(aligned=True, confidence=0.42, joined="b002.s1"), {})
    assert joined["joined"] == "b002.s1"
    # The store's word beats the last build's: a translator's save since makes it edited, whatever the build said.
    assert aligned_state(_entry(edited=True, en="Mine."), {"origin": "aligned", "confidence": 0.2}) is None


def test_a_confidence_that_is_not_one_is_not_shown():
    for hostile in (True, 7, -1, "0.1", float("nan")):
        state = aligned_state(_entry(aligned=True, confidence=hostile), {})
        assert state["confidence"] is None and state["review"] is False
    older = SimpleNamespace(edited=True, en="x")  # a store without the aligned mark: the build's record tells
    assert aligned_state(older, {"origin": "aligned", "confidence": 0.3, "joined": 5}) == {
        "confidence": 0.3, "joined": "", "review": True}


# --- in a browser: the reader's page as serve sends it, its requests answered here --------------------------------


def _edited_elsewhere(edition):
    """The aligned edition with every other segment a translator's (so n/p have only the aligned beads to find)."""
    def mine(segment):
        if segment is None or segment.origin == "aligned":
            return segment
        return replace(segment, origin="edited", violations=())

    interview = edition.articles[0]
    blocks = tuple(replace(b, segments=tuple(mine(s) for s in b.segments), speaker=mine(b.speaker))
                   for b in interview.blocks)
    return replace(edition, articles=(replace(interview, blocks=blocks, title=mine(interview.title)),))


@pytest.fixture
def site(tmp_path):
    from translate.render.html import render_html
    from translate.settings import Settings

    repo = ASSETS.parents[2]
    settings = Settings(root=repo, templates_dir=repo / "templates", build_dir=tmp_path / "build")
    render_html(_edited_elsewhere(aligned_edition()), settings)
    return settings.build_dir / "html"


@pytest.mark.slow
@pytest.mark.browser
def test_n_and_p_reach_the_unsure_aligned_beads_and_a_save_makes_one_edited(browser, site):
    saved = []

    def answer(route):
        path = route.request.url.split("bitext.test", 1)[1].split("?")[0]
        if path == "/_bitext/edit.js":
            return route.fulfill(body=(ASSETS / "edit.js").read_text(encoding="utf-8"), content_type="text/javascript")
        if path == "/_bitext/edit.css":
            return route.fulfill(body=(ASSETS / "edit.css").read_text(encoding="utf-8"), content_type="text/css")
        if path == "/_bitext/segment":
            data = {"slug": "interview", "segment": "b002.s1", "zh": "周明创立了澜舟科技。", "en": JOINED_EN,
                    "origin": "aligned", "confidence": 0.42, "joined": "", "review": True, "stale": False,
                    "previous_zh": "", "edited": False, "version": "v1", "max_chars": 5000, "terms": [],
                    "problems": [], "blocking": "", "glossary_error": ""}
            return route.fulfill(body=json.dumps(data), content_type="application/json")
        if path == "/_bitext/proof":
            return route.fulfill(body=json.dumps({"terms": [], "problems": [], "blocking": "", "glossary_error": ""}),
                                 content_type="application/json")
        if path == "/_bitext/save":
            saved.append(json.loads(route.request.post_data))
            return route.fulfill(body=json.dumps({"saved": True, "written": True, "slug": "interview",
                                                  "segment": "b002.s1", "en": JOINED_EN, "edited": True,
                                                  "version": "v2", "undo": "", "problems": []}),
                                 content_type="application/json")
        if path.startswith("/_bitext/"):
            return route.fulfill(status=204, body="")
        file = site / path.lstrip("/")
        if not file.is_file():
            return route.fulfill(status=404, body="")
        body = file.read_text(encoding="utf-8") if file.suffix in (".html", ".css", ".js") else file.read_bytes()
        if file.suffix == ".html":
            body = serve_page(body, token="t0ken", generation=1)
        types = {".html": "text/html", ".css": "text/css", ".js": "text/javascript"}
        return route.fulfill(body=body, content_type=types.get(file.suffix, "application/octet-stream"))

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.route("http://bitext.test/**", answer)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto("http://bitext.test/interview.html")
        page.wait_for_selector(".bitext-bar")
        page.click(".bitext-edit-toggle")
        visited = []
        for _ in range(3):
            page.keyboard.press("n")
            visited.append(page.evaluate("document.activeElement.getAttribute('data-seg')"))
        assert visited == ["b002.s1", "b004.s1", "b002.s1"]  # the unsure beads, round again; never the sure b003.s1
        page.keyboard.press("p")
        assert page.evaluate("document.activeElement.getAttribute('data-seg')") == "b004.s1"
        assert "aligned English to check" in page.text_content(".bitext-message")
        page.keyboard.press("p")
        page.keyboard.press("Enter")
        head = page.wait_for_selector('.bitext-editor[data-for="b002.s1"] .bitext-origin')
        assert "aligned from an existing translation (confidence 0.42) — check it" in head.text_content()
        page.keyboard.press("Control+Enter")
        page.wait_for_selector(".bitext-editor", state="detached")
        classes = page.get_attribute('.en .seg[data-seg="b002.s1"]', "class").split()
        assert "origin-edited" in classes and "origin-aligned" not in classes and "uncertain" not in classes
        assert saved and saved[0]["seg"] == "b002.s1"
        page.keyboard.press("n")
        assert page.evaluate("document.activeElement.getAttribute('data-seg')") == "b004.s1"
        assert not errors, errors
    finally:
        context.close()


def test_the_edit_desk_on_a_store_bitext_align_wrote_and_a_save_that_confirms(tmp_path):
    from contextlib import nullcontext

    from alignedtools import BEAD, SLUG, make_aligned_project
    from translate.serve.editing import EditDesk
    from translate.settings import load_settings

    project = make_aligned_project(tmp_path / "edition")
    rebuilder = SimpleNamespace(settings=load_settings(project), editing=nullcontext)
    desk = EditDesk(rebuilder)
    carrier = desk.segment(SLUG, "b002.s1")
    assert (carrier["origin"], carrier["en"], carrier["edited"]) == ("aligned", BEAD, False)
    assert isinstance(carrier["confidence"], float) and carrier["review"] == (carrier["confidence"] < 0.5)
    assert desk.segment(SLUG, "b002.s2")["joined"] == "b002.s1"
    saved = desk.save(SLUG, "b002.s1", zh=carrier["zh"], en=BEAD, version=carrier["version"])
    assert saved["written"] and saved["edited"]
    after = desk.segment(SLUG, "b002.s1")  # no build since: the store's word stands, not the last build's
    assert (after["edited"], after["en"]) == (True, BEAD) and after["origin"] != "aligned"
    assert "confidence" not in after
    assert desk.segment(SLUG, "b002.s2")["origin"] == "aligned"  # its bead's English is still in use
