"""A throwaway Ray cluster on this machine: a head and workers started with ``ray start`` on 127.0.0.1.

What the tests and ``bench cluster`` build through (a real cluster of separate processes,
as ``ray start`` makes on real machines, not Ray's in-process one), and a way to try
``bitext build --cluster 127.0.0.1:PORT`` by hand. The head keeps no CPU for itself, so
the workers are the only slots; the cluster is protected by a token of its own, which
:func:`local_cluster` puts into this process's environment while it runs.

Ray itself is not imported here: the nodes are ``ray start`` processes.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from translate.cluster import ClusterError

#: The environment that a node and its driver share (Ray's token authentication, no usage report).
_SHARED = ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_USAGE_STATS_ENABLED")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ray_start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    """``ray start … --block`` in a session of its own, so the whole node stops with its process group."""
    command = [str(Path(sys.executable).parent / "ray"), "start", *args, "--disable-usage-stats", "--block"]
    with log.open("w") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(*processes: subprocess.Popen) -> None:
    """Stop nodes by their process groups (everything each ``ray start`` started): TERM, then KILL what is left."""
    for sig, wait in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
        for process in processes:
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + wait
        for process in processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass


def _came_up(log: Path, process: subprocess.Popen, timeout: float) -> tuple[bool, str]:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        if "Ray runtime started" in text:
            return True, text
        if process.poll() is not None:
            break
        time.sleep(0.3)
    stop(process)
    return False, text


def _reload_auth() -> None:
    """Make Ray read RAY_AUTH_MODE and RAY_AUTH_TOKEN again, if this process imported it (it caches them)."""
    if "ray" not in sys.modules:
        return
    try:
        from ray._private.authentication_test_utils import reset_auth_token_state
    except ImportError:  # a Ray without token authentication reads nothing to reload
        return
    reset_auth_token_state()


@contextmanager
def local_cluster(workers: int = 2, cpus: int = 1, *, logs: Path | None = None, timeout: float = 90,
                  while_starting=None) -> Iterator[str]:
    """A head (no CPU) and ``workers`` nodes of ``cpus`` CPU slots on 127.0.0.1; yields its address; stopped after.

    ``while_starting``: called once the head is launched (Ray's start-up is mostly waiting). A worker
    whose start-up ran past Ray's own wait on a busy machine is started once more.
    """
    folder = Path(tempfile.mkdtemp(prefix="bxr-"))  # short: Ray's sockets live below it
    logs = logs or folder / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32),
           "RAY_USAGE_STATS_ENABLED": "0"}
    saved = {name: os.environ.get(name) for name in _SHARED}
    port = free_port()
    address = f"127.0.0.1:{port}"
    nodes = [_ray_start(["--head", f"--port={port}", "--node-ip-address=127.0.0.1", "--num-cpus=0",
                         "--include-dashboard=false", f"--temp-dir={folder}"], env, logs / "head.log")]
    try:
        if while_starting is not None:
            while_starting()
        up, text = _came_up(logs / "head.log", nodes[0], timeout)
        if not up:
            raise ClusterError(f"ray start --head did not come up: {' '.join(text[-300:].split())}")
        for n in range(1, workers + 1):
            for attempt in (1, 2):
                log = logs / f"worker{n}-{attempt}.log"
                nodes.append(_ray_start([f"--address={address}", f"--num-cpus={cpus}"], env, log))
                up, text = _came_up(log, nodes[-1], timeout)
                if up:
                    break
            else:
                raise ClusterError(f"ray start (worker {n}) did not come up: {' '.join(text[-300:].split())}")
        os.environ.update({name: env[name] for name in _SHARED})
        _reload_auth()
        yield address
    finally:
        if "ray" in sys.modules and sys.modules["ray"].is_initialized():
            sys.modules["ray"].shutdown()
        stop(*nodes)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _reload_auth()
        shutil.rmtree(folder, ignore_errors=True)
