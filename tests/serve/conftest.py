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
