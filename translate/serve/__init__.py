"""``bitext serve``: the edition served live to a browser, rebuilt as its inputs change, editable in the page.

:mod:`.server` binds the socket and runs the ASGI app of :mod:`.app`;
:mod:`.watch` watches the inputs and :mod:`.rebuild` rebuilds — the HTML first,
the PDF after it in a background process; :mod:`.events` tells open pages to
reload; :mod:`.editing` is the edit API over :mod:`translate.postedit.segmentsave`;
:mod:`.security` holds every check a request passes (host, origin, token,
size, paths); :mod:`.pages` adds the editor to a served page. The browser side
is ``assets/edit.js`` and ``assets/edit.css``, served only by the server.

starlette, uvicorn and watchfiles are the ``serve`` extra: imported only here,
and only when the command runs (:func:`require_serve`).
"""

from __future__ import annotations

import importlib.util
import shlex
import sys
from importlib import metadata

from translate.errors import BitextError

#: The modules ``bitext serve`` needs, with the distributions that provide them.
REQUIREMENTS = (("starlette", "starlette"), ("uvicorn", "uvicorn"), ("watchfiles", "watchfiles"))


class ServeError(BitextError):
    """The preview server cannot start (a missing extra, a port in use)."""


def serve_requirements() -> list[str]:
    """The ``serve`` extra's requirements from bitext's own metadata (bare names when it is not installed)."""
    from packaging.requirements import Requirement

    try:
        declared = metadata.requires("bitext") or []
    except metadata.PackageNotFoundError:
        declared = []
    found = {}
    for line in declared:
        requirement = Requirement(line)
        if requirement.marker and requirement.marker.evaluate({"extra": "serve"}):
            found[requirement.name] = f"{requirement.name}{requirement.specifier}"
    return [found.get(dist, dist) for _, dist in REQUIREMENTS]


def require_serve() -> None:
    """Raise :class:`ServeError` naming the pip command when the ``serve`` extra is not installed."""
    missing = [dist for module, dist in REQUIREMENTS if importlib.util.find_spec(module) is None]
    if missing:
        command = " ".join([shlex.quote(sys.executable), "-m", "pip", "install",
                            *(shlex.quote(r) for r in serve_requirements())])
        raise ServeError(f"bitext serve needs {', '.join(missing)} (the serve extra); install with `{command}`")
