"""Chinese scripts: Simplified ↔ Traditional with OpenCC, each converter built once per process.

Building a converter reads OpenCC's dictionaries (~40 ms); every stage shares these.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=None)
def converter(config: str):
    """The OpenCC converter for ``config`` (``t2s``, ``s2t``, ``s2tw``, ``s2hk``…)."""
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """``text`` in Simplified script (OpenCC ``t2s``)."""
    return converter("t2s").convert(text) if text else text


def to_traditional(text: str) -> str:
    """``text`` in Traditional script (OpenCC ``s2t``)."""
    return converter("s2t").convert(text) if text else text
