"""The wrappers put around WeasyPrint's functions: installed once, acting only inside their module's context."""

import importlib

import pytest

from translate.render.pdf import linebreaking, sharedstyles, tablesizing, textlayouts


@pytest.mark.parametrize("module, context, owner, name", [
    (linebreaking, "deciding", "weasyprint.layout.block", "iter_line_boxes"),
    (tablesizing, "sizing", "weasyprint.layout.preferred", "table_cell_min_max_content_width"),
    (sharedstyles, "sharing", "weasyprint.css", "find_style_attributes"),
    (textlayouts, "reusing", "weasyprint.layout.inline", "split_first_line"),
])
def test_a_wrapper_is_installed_once_and_acts_only_inside_its_context(module, context, owner, name):
    module.install()
    owner = importlib.import_module(owner)
    wrapper, original = getattr(owner, name), module._originals[name]
    assert wrapper is not original and wrapper.__module__ == module.__name__
    module.install()  # again: nothing wrapped twice
    assert getattr(owner, name) is wrapper and module._originals[name] is original

    forgotten = []
    assert not module._local.active
    with getattr(module, context)():
        module._local.forget = lambda: forgotten.append(True)  # this thread's
        with getattr(module, context)():
            assert module._local.active == 2
        assert module._local.active == 1 and not forgotten  # what the part kept stays until the outermost is left
    try:
        assert not module._local.active and forgotten == [True]
    finally:
        del module._local.forget


def test_what_a_part_kept_goes_with_it():
    with textlayouts.reusing():
        textlayouts._local.lines["key"] = textlayouts._local.fonts["key"] = object()
    with linebreaking.deciding():
        linebreaking._local.manual_styles[1] = ()
    assert not textlayouts._local.lines and not textlayouts._local.fonts and not linebreaking._local.manual_styles
