"""Aligning an existing English translation with its Chinese, sentence by sentence.

``align(zh, en)`` returns :class:`Bead` objects (which Chinese sentences an English
stretch translates, with a confidence); ``split_english`` splits English prose into
sentences (the Chinese splitter is :func:`translate.corpus.sentences.split_sentences`).
Nothing here downloads anything.
"""

from translate.align.aligner import align
from translate.align.bead import Bead, format_beads
from translate.align.english import split_english

__all__ = ["Bead", "align", "format_beads", "split_english"]
