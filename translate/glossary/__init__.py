"""The glossary stage: the termbase file, its checker, its matcher and its tools.

Other stages use :class:`Glossary` (load once, ``find`` often); the
``bitext glossary`` commands use the rest.
"""

from translate.glossary.checks import check_glossary
from translate.glossary.diagnostics import Diagnostic
from translate.glossary.loaded import Glossary

__all__ = ["Glossary", "check_glossary", "Diagnostic"]
