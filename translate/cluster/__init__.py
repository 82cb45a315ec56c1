"""Building on a cluster: the translation and the PDF parts done by workers, everything written here.

``bitext build --cluster ADDRESS`` (or ``[cluster] address``) opens a :class:`Backend`
(:func:`open_backend`) and hands it to :func:`translate.pipeline.build_edition`. The build
is the local one with two seams:

- the translation memory layer sends its chunks of uncached sentences to
  :meth:`Backend.chunk_translator`, which has workers translate them with the same inner
  layers (inline Markdown, glossary ladder, engine) and yields each chunk's results in order;
  the driver commits each to the memory as it comes, as the local build does;
- a builder that uses workers (the PDF) gets :meth:`Backend.open_workers`' instead of its
  own processes: the same ``submit(job)`` / ``call(function, *args)`` futures.

The driver alone writes the memory, the PO stores and the outputs, so a driver killed
mid-build leaves what a local build leaves, and a cluster that goes away is a one-line
:class:`ClusterError` with everything translated so far kept in the memory.

Only :mod:`translate.cluster.raycluster` imports Ray, and only :func:`open_backend` imports it.
"""

from __future__ import annotations

from typing import Callable, ContextManager, Iterator, Protocol, runtime_checkable

from translate.errors import BitextError

#: The address that starts a cluster on this machine for the build (to try the backend out).
LOCAL = "local"


class ClusterError(BitextError):
    """The cluster cannot be reached, went away, or its workers cannot do the work."""


@runtime_checkable
class Backend(Protocol):
    """Where a build's translation chunks and worker jobs run."""

    address: str
    """What the build was given (``local``, ``HOST:PORT``, ``ray://HOST:PORT``)."""

    def chunk_translator(self, engine, glossary, num_hypotheses: int) -> Callable[[list[list[str]]], Iterator[list]]:
        """``farm(chunks)``: each chunk's results (one per sentence, as the inner layers give them), in order."""
        ...

    def open_workers(self, builder, settings) -> ContextManager:
        """The builder's workers for this build (a context manager, as ``builder.open_workers(settings)``)."""
        ...

    def close(self) -> None:
        """Let the cluster go (a local one is stopped)."""
        ...


def open_backend(address: str, settings) -> Backend:
    """The backend of ``address``: Ray's (the one engine this tool farms out to).

    Raises :class:`ClusterError` when Ray is not installed or the cluster cannot be reached.
    """
    address = address.strip()
    if not address or len(address) > 300 or any(ch.isspace() or not ch.isprintable() for ch in address):
        raise ClusterError(f"the cluster address must be HOST:PORT, ray://HOST:PORT or {LOCAL}, not {address[:80]!r}")
    try:
        import ray  # noqa: F401 (the optional extra: say how to install it)
    except ImportError:
        raise ClusterError("building on a cluster needs Ray: pip install 'bitext[cluster]'") from None
    from translate.cluster.raycluster import RayBackend

    return RayBackend(address, settings)


def first_line(exc: BaseException, limit: int = 200) -> str:
    """An exception's message as one short line (Ray's carry tracebacks)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[:limit - 1] + "…"

