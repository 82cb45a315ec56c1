"""WeasyPrint's sized arrays are made from the open array type, parsed once (issue 33: cffi parsed a new C type
for nearly every font of every part); every other call goes through as it was."""

from __future__ import annotations

from translate.render.pdf import cffitypes
from weasyprint.text.ffi import ffi


def test_a_sized_array_of_its_own_items_needs_no_new_type():
    cffitypes.install()
    cffitypes.install()  # once: not wrapped twice
    items = tuple(range(3, 3 + 12_347))
    parsed = dict(ffi._parsed_types)
    array = ffi.new(f"hb_codepoint_t[{len(items)}]", items)
    assert f"hb_codepoint_t[{len(items)}]" not in ffi._parsed_types and len(ffi._parsed_types) <= len(parsed) + 1
    assert len(array) == len(items) and list(array) == list(items)
    assert ffi.typeof(array) == ffi.typeof(ffi.new("hb_codepoint_t[]", items))


def test_other_calls_go_through_unchanged():
    cffitypes.install()
    short = ffi.new("hb_codepoint_t[5]", [1, 2])  # fewer items than the length: the sized type, zero-filled
    assert list(short) == [1, 2, 0, 0, 0] and ffi.typeof(short) == ffi.typeof("hb_codepoint_t[5]")
    assert ffi.string(ffi.new("char[]", b"abc")) == b"abc"
    assert ffi.new("unsigned int *")[0] == 0
    empty = ffi.new("hb_codepoint_t[4]")
    assert list(empty) == [0, 0, 0, 0]
