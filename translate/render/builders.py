"""The outputs of a build, as builders: the edition is gathered once, and each builder writes it its own way.

Sphinx's builders are the model (one environment, many builders), and so is its
registry of built-in builders by module name: a builder's module is imported only
when a build wants it, so ``bitext --help`` stays instant.

A builder module has one function, ``start(edition, settings, *, workers)``, which
returns something with ``finish() -> list[Path]`` (the files written or found
unchanged, under ``build/<name>/``). Every builder is started before any is
finished, so one whose work runs elsewhere (the PDF's parts, set in worker
processes) goes on while the others write. A builder that ``uses_workers`` also
has ``open_workers(settings)``: a context manager whose value is its ``workers``,
entered before the edition is translated, so that starting the processes overlaps
with translating. Others get ``workers=None``. A module may also have ``prepare(glossary,
settings, *, workers)``, called once the glossary is loaded and before the edition is
translated: what it returns (None: nothing) is given to ``start`` as ``prepared`` (the PDF's
glossary is set meanwhile).

From the registry the pipeline knows what to build and in what order, ``bitext
build`` makes its ``--no-NAME`` options, ``bitext serve`` knows which outputs it
rebuilds in its own process on every change (``live``) and which in the
background, and the build's fingerprint reads each builder's source. Adding an
output means adding its module and one entry in :data:`BUILDERS` (or a call to
:func:`register`).
"""

from __future__ import annotations

import importlib
import importlib.util
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

#: The files every build writes whatever the outputs (the translations and the report), as ``build/state.json`` records them.
EDITION = "edition"


@dataclass(frozen=True, slots=True)
class Builder:
    """One output of the edition: its name, its option, what it needs, and the module that writes it."""

    name: str
    """``build/<name>/`` holds its files; ``bitext build --no-<name>`` and ``build_edition(<name>=False)`` skip it."""
    module: str
    """The module with ``start(edition, settings, *, workers)``; imported only when a build wants this output."""
    skip_help: str | None = None
    """The help of ``--no-<name>``; None for an output every build writes (it has no option)."""
    live: bool = False
    """``bitext serve`` rebuilds it in its own process on every change; the others in a background build."""
    uses_workers: bool = False
    """It needs worker processes, started by its module's ``open_workers(settings)`` before the edition is
    translated; it is started before the other outputs, so that the workers set it while they write."""

    @property
    def optional(self) -> bool:
        """True when a build may skip it (it has a ``--no-<name>`` option)."""
        return self.skip_help is not None

    def load(self) -> ModuleType:
        """The builder's module (imported now)."""
        return importlib.import_module(self.module)

    def source(self) -> Path | None:
        """The file of the builder's module, found without importing it (the build's fingerprint reads it)."""
        spec = importlib.util.find_spec(self.module)
        return Path(spec.origin) if spec is not None and spec.origin else None

    def open_workers(self, settings):
        """What it needs running before the edition is translated: a context manager whose value is its workers."""
        return self.load().open_workers(settings) if self.uses_workers else nullcontext()

    def prepare(self, glossary, settings, *, workers=None):
        """What it can begin before the edition is translated, from the glossary and the settings alone (its module's
        ``prepare(glossary, settings, *, workers)``, where it has one): the value its :meth:`start` is given, or None."""
        prepare = getattr(self.load(), "prepare", None)
        return prepare(glossary, settings, workers=workers) if prepare is not None else None

    def start(self, edition, settings, *, workers=None, prepared=None):
        """Begin writing the edition; the value's ``finish()`` returns the files. ``prepared``: what :meth:`prepare` returned."""
        if prepared is None:
            return self.load().start(edition, settings, workers=workers)
        return self.load().start(edition, settings, workers=workers, prepared=prepared)


@dataclass(frozen=True, slots=True)
class Written:
    """A builder's output written at once, in ``start``: ``finish`` has nothing left to do."""

    paths: list[Path]

    def finish(self) -> list[Path]:
        """The files written (or found unchanged)."""
        return self.paths


#: The outputs, in the order of their ``--no-<name>`` options and of a build's result.
BUILDERS: list[Builder] = [
    Builder("html", "translate.render.html", live=True),
    Builder("pdf", "translate.render.pdf.edition", "Skip the PDF edition (faster previews).", uses_workers=True),
    Builder("epub", "translate.render.epub", "Skip the EPUB edition."),
]


def builders() -> tuple[Builder, ...]:
    """Every registered builder, in registry order."""
    return tuple(BUILDERS)


def register(builder: Builder) -> None:
    """Add an output (or replace the one of the same name)."""
    if builder.name == EDITION or not builder.name.isidentifier():
        raise ValueError(f"an output cannot be called {builder.name!r}")
    unregister(builder.name)
    BUILDERS.append(builder)


def unregister(name: str) -> None:
    """Remove the output of this name, if there is one."""
    BUILDERS[:] = [builder for builder in BUILDERS if builder.name != name]


def chosen(wanted: dict[str, bool]) -> tuple[Builder, ...]:
    """The builders a build writes: every one, less those ``wanted`` turns off by name (``{"pdf": False}``)."""
    optional = {builder.name for builder in BUILDERS if builder.optional}
    unknown = sorted(set(wanted) - optional)
    if unknown:
        raise TypeError(f"no output that a build may skip is called {', '.join(map(repr, unknown))} "
                        f"(outputs: {', '.join(sorted(optional))})")
    return tuple(builder for builder in BUILDERS if wanted.get(builder.name, True))


def in_start_order(selected: tuple[Builder, ...]) -> tuple[Builder, ...]:
    """Those that use workers first (their workers set their parts while the others write), then the rest."""
    return tuple(sorted(selected, key=lambda builder: not builder.uses_workers))
