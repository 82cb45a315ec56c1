"""Fonts for the PDF and the EPUB: find the CJK and Latin faces, and subset them once per edition.

The Noto CJK collections are 20–27 MB per weight. WeasyPrint parses and
subsets every font it uses once per document, so handing it the system
collection costs seconds per PDF. Instead we cut each face down, once, to the
characters the edition actually uses (a few hundred kilobytes) and give every
document that small file through ``@font-face``; the EPUB embeds such a cut of
its CJK face. Shared by both outputs, so it stays beside them rather than in
:mod:`translate.render.pdf`.
"""

from __future__ import annotations

import hashlib
import io
import logging
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable, Iterable

from translate.errors import FontMissingError
from translate.outputs import write_atomic

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk) or set layout.cjk_font in edition.toml"
)

#: fontconfig weights: 80 is regular, 200 is bold.
REGULAR, BOLD = 80, 200

#: Characters every document may print besides its own text (page numbers,
#: running heads, list marks, the colophon's punctuation, the no-break space the
#: justified Chinese stretches at).
BASE_CHARS = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u00a0·–—‘’“”…•©®™°×→「」『』《》〈〉、。，：；！？（）【】"


@dataclass(frozen=True, slots=True)
class FontFile:
    """One installed face as fontconfig lists it."""

    family: str
    """The family name asked for (one of the file's family names)."""
    path: Path
    """Font file (``.ttc``, ``.otf``, ``.ttf``)."""
    index: int
    """Face index inside a collection."""
    weight: int
    """fontconfig weight (80 regular, 200 bold)."""


@dataclass(frozen=True, slots=True)
class FontChoice:
    """The faces the PDF uses: CJK regular and bold, and optionally a Latin family."""

    cjk_regular: FontFile
    """CJK text (and the English too when no Latin face is installed)."""
    cjk_bold: FontFile
    """Bold CJK (headings, emphasis); the regular face when no bold is installed."""
    latin_family: str | None
    """Installed Latin family for the English column, or None to use the CJK font's Latin."""

    def identity(self) -> str:
        """A short string that changes when any chosen font file changes (for output hashes)."""
        parts = []
        for face in (self.cjk_regular, self.cjk_bold):
            stat = face.path.stat()
            parts.append(f"{face.path}:{face.index}:{stat.st_size}:{int(stat.st_mtime)}")
        parts.append(self.latin_family or "")
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


#: Lists installed faces for a fontconfig pattern (``:lang=zh`` or a family name).
FontLookup = Callable[[str], list[FontFile]]


def fc_list(pattern: str) -> list[FontFile]:
    """Installed faces matching a fontconfig ``pattern``, via ``fc-list``."""
    if shutil.which("fc-list") is None:
        return []
    result = subprocess.run(
        ["fc-list", "--format", "%{file}\t%{index}\t%{weight}\t%{family}\n", pattern],
        capture_output=True, text=True, check=False,
    )
    faces = []
    for line in result.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) != 4:
            continue
        file, index, weight, families = parts
        for family in families.split(","):
            faces.append(FontFile(family.strip(), Path(file), int(index or 0), _weight(weight)))
    return faces


def _weight(text: str) -> int:
    # fontconfig prints a range like "[80 200]" for variable fonts; take the low end.
    text = text.strip("[] ").split()[0] if text.strip("[] ") else "80"
    return int(float(text))


def choose_fonts(cjk_font: str, latin_font: str, lookup: FontLookup = fc_list) -> FontChoice:
    """Resolve the font settings to installed files, or say what to install."""
    cjk_faces = lookup(":lang=zh")
    if not cjk_faces:
        raise FontMissingError(f"no CJK font found; {INSTALL_HINT}")
    wanted = [f for f in cjk_faces if f.family.casefold() == cjk_font.casefold()]
    if not wanted:
        families = sorted({f.family for f in cjk_faces})
        shown = ", ".join(families[:8]) + (", …" if len(families) > 8 else "")
        raise FontMissingError(
            f"the CJK font '{cjk_font}' (layout.cjk_font in edition.toml) is not installed; "
            f"set layout.cjk_font to one of: {shown}"
        )
    regular = min(wanted, key=lambda f: (abs(f.weight - REGULAR), str(f.path)))
    bold = min(wanted, key=lambda f: (abs(f.weight - BOLD), str(f.path)))
    if bold.weight <= regular.weight:
        bold = regular
    latin = None
    if latin_font and any(f.family.casefold() == latin_font.casefold() for f in lookup(latin_font)):
        latin = latin_font
    elif latin_font:
        log.info("Latin font %r is not installed; the English uses %s's Latin letters", latin_font, cjk_font)
    return FontChoice(regular, bold, latin)


def edition_chars(texts: Iterable[str]) -> str:
    """Every character the texts use plus :data:`BASE_CHARS`, sorted, without controls."""
    chars = set(BASE_CHARS)
    for text in texts:
        chars.update(text)
    return "".join(sorted(c for c in chars if c.isprintable() or c == " "))


def subset_font(face: FontFile, chars: str, folder: Path) -> Path:
    """A small OpenType file with only ``chars`` from ``face``; reused while it exists.

    The file name carries a hash of the source file and the characters, so a
    changed edition gets a new subset and a current one is never rebuilt.
    HarfBuzz (which WeasyPrint already loads) cuts a Noto CJK face in about
    0.2 s; fontTools, the fallback, takes about 20 s.
    """
    stat = face.path.stat()
    key = hashlib.sha256(
        f"{face.path}:{face.index}:{stat.st_size}:{int(stat.st_mtime)}:{_SUBSET_KIND}:{chars}".encode()
    ).hexdigest()[:16]
    stem = f"{face.path.stem}-{face.index}-{face.weight}"
    target = folder / f"{stem}-{key}.otf"
    if target.exists():
        return target
    data = _harfbuzz_subset(face, chars)
    if data is None:
        _warn_fonttools_fallback()
        data = _fonttools_subset(face, chars)
    write_atomic(target, data)
    for stale in folder.glob(f"{stem}-*.otf"):
        if stale != target:
            stale.unlink(missing_ok=True)
    return target


@cache
def _warn_fonttools_fallback() -> None:
    """Say once per process that fonts are cut the slow way (a build cuts several: PDF faces, one per EPUB)."""
    log.warning("HarfBuzz's subsetter (libharfbuzz-subset.so.0) is not installed: fonts are cut with fontTools, "
                "which is slow (install libharfbuzz-subset0)")


_HB_CDEF = """
typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t;
typedef struct hb_subset_input_t hb_subset_input_t; typedef struct hb_set_t hb_set_t;
typedef uint32_t hb_codepoint_t;
hb_blob_t * hb_blob_create_from_file_or_fail (const char *file_name);
hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_blob_destroy (hb_blob_t *blob);
void hb_face_destroy (hb_face_t *face);
hb_blob_t * hb_face_reference_blob (hb_face_t *face);
const char * hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
void hb_set_add (hb_set_t *set, hb_codepoint_t codepoint);
hb_set_t * hb_subset_input_set (hb_subset_input_t *input, int set_type);
hb_subset_input_t * hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t * hb_subset_input_unicode_set (hb_subset_input_t *input);
void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned value);
hb_face_t * hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""
_HB_NOTDEF_OUTLINE = 0x40
#: ``HB_SUBSET_SETS_LAYOUT_FEATURE_TAG``: the OpenType features a subset keeps (HarfBuzz's defaults, plus ours).
_HB_LAYOUT_FEATURES = 6

#: OpenType features kept besides the subsetters' defaults: the CJK punctuation's half-width alternates
#: (``halt``; ``chws``, contextual half-width spacing, where the font has it), which the print
#: stylesheet asks for between adjacent marks (:func:`translate.render.pdf.printviews.chinese_spacing`).
KEPT_FEATURES = ("halt", "chws")
#: Changes when what a subset keeps changes (part of its file name), so no cut of an earlier kind is reused.
_SUBSET_KIND = "features:" + ",".join(KEPT_FEATURES)


_HB_FONT_CDEF = """
typedef struct hb_font_t hb_font_t; typedef int32_t hb_position_t;
hb_font_t * hb_font_create (hb_face_t *face);
void hb_font_destroy (hb_font_t *font);
int hb_font_get_nominal_glyph (hb_font_t *font, hb_codepoint_t unicode, hb_codepoint_t *glyph);
hb_position_t hb_font_get_glyph_h_advance (hb_font_t *font, hb_codepoint_t glyph);
unsigned int hb_face_get_upem (const hb_face_t *face);
"""


@cache
def _harfbuzz():
    """(cffi, libharfbuzz, libharfbuzz-subset), loaded once a process; None where either library is missing."""
    try:
        from cffi import FFI

        ffi = FFI()
        ffi.cdef(_HB_CDEF + _HB_FONT_CDEF)
        return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")
    except (ImportError, OSError, AttributeError):
        return None


def _harfbuzz_subset(face: FontFile, chars: str) -> bytes | None:
    loaded = _harfbuzz()
    if loaded is None:
        return None
    ffi, hb, hb_subset = loaded
    blob = hb.hb_blob_create_from_file_or_fail(str(face.path).encode())
    if blob == ffi.NULL:
        return None
    source = hb.hb_face_create(blob, face.index)
    request = hb_subset.hb_subset_input_create_or_fail()
    try:
        unicodes = hb_subset.hb_subset_input_unicode_set(request)
        for char in chars:
            hb.hb_set_add(unicodes, ord(char))
        hb_subset.hb_subset_input_set_flags(request, _HB_NOTDEF_OUTLINE)
        features = hb_subset.hb_subset_input_set(request, _HB_LAYOUT_FEATURES)
        for tag in KEPT_FEATURES:
            hb.hb_set_add(features, int.from_bytes(tag.encode("ascii"), "big"))
        result = hb_subset.hb_subset_or_fail(source, request)
        if result == ffi.NULL:
            return None
        out = hb.hb_face_reference_blob(result)
        length = ffi.new("unsigned int *")
        data = ffi.buffer(hb.hb_blob_get_data(out, length), length[0])[:]
        hb.hb_blob_destroy(out)
        hb.hb_face_destroy(result)
        return data or None
    finally:
        hb_subset.hb_subset_input_destroy(request)
        hb.hb_face_destroy(source)
        hb.hb_blob_destroy(blob)


def _fonttools_subset(face: FontFile, chars: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(face.path), fontNumber=face.index, lazy=True)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = [*options.layout_features, *KEPT_FEATURES]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def missing_glyphs(chars: str, font_path: Path) -> str:
    """The characters of ``chars`` (besides whitespace) that a subset font has no glyph for."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(font_path), lazy=True).getBestCmap()
    return "".join(c for c in chars if not c.isspace() and ord(c) not in cmap)


@cache
def space_advance(path: Path, index: int = 0) -> float:
    """The advance of a face's space, in em (0.256 in Noto Serif CJK), or 0.25 when it has none.

    The print stylesheet takes it back from every space it puts between Chinese characters
    (:data:`translate.render.pdf.printviews.STRETCH`), so those spaces are only room to justify.
    """
    advance = _harfbuzz_space_advance(path, index)
    if advance is not None:
        return advance
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(str(path), fontNumber=index, lazy=True)
        glyph = font.getBestCmap().get(0x20)
    except (OSError, TTLibError):
        return 0.25
    if glyph is None:
        return 0.25
    return font["hmtx"][glyph][0] / font["head"].unitsPerEm


def _harfbuzz_space_advance(path: Path, index: int) -> float | None:
    """:func:`space_advance` read by HarfBuzz (a millisecond; fontTools reads a CJK face's whole cmap, 0.16 s CPU);
    None where HarfBuzz is missing or cannot read the face."""
    loaded = _harfbuzz()
    if loaded is None:
        return None
    ffi, hb, _ = loaded
    blob = hb.hb_blob_create_from_file_or_fail(str(path).encode())
    if blob == ffi.NULL:
        return None
    face = hb.hb_face_create(blob, index)
    font = hb.hb_font_create(face)  # scaled in font units
    try:
        upem = hb.hb_face_get_upem(face)
        glyph = ffi.new("hb_codepoint_t *")
        if not upem:
            return None
        if not hb.hb_font_get_nominal_glyph(font, 0x20, glyph):
            return 0.25
        return hb.hb_font_get_glyph_h_advance(font, glyph[0]) / upem
    finally:
        hb.hb_font_destroy(font)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)
