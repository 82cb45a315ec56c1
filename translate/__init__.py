"""bitext: build bilingual Chinese–English editions from Chinese articles, offline.

The pipeline is corpus → glossary → translate → render; each stage is a
function of its inputs and the data flowing between stages are the frozen
types in :mod:`translate.models`.
"""

__version__ = "0.1.0"
