"""One ``bitext serve`` for the package's tests, in a temporary tiny edition (see servetools.py)."""

import pytest

from servetools import make_project, start, stop


@pytest.fixture(scope="package")
def served(tmp_path_factory):
    """The running server; tests edit different segments, and put back any input they change."""
    served = start(make_project(tmp_path_factory.mktemp("serve") / "edition"))
    served.settle()
    yield served
    stop(served)
    assert served.process.returncode is not None


@pytest.fixture(autouse=True)
def collector_on_again():
    """A test that builds as serve's worker does (``_build_live(announce=True)``) without tidy() after it leaves
    the collector off (the worker turns it on again after collecting): on again for the next test."""
    import gc

    yield
    gc.enable()
