"""The glossary stage's modules import each other without a circle (checks.py used to import glossary.py back)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "translate" / "glossary"


def _imports(path: Path) -> set[str]:
    """The ``translate.glossary.*`` modules a file imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("translate.glossary."):
            found.add(node.module.rsplit(".", 1)[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.rsplit(".", 1)[1] for a in node.names if a.name.startswith("translate.glossary.")}
    return found


def test_no_module_of_the_glossary_stage_imports_itself_back():
    graph = {p.stem: _imports(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for name in graph.get(start, ()):
            if name == goal or (name not in seen and reaches(name, goal, seen | {name})):
                return True
        return False

    circles = sorted(name for name in graph if reaches(name, name, {name}))
    assert circles == []
    assert "glossary" not in graph["checks"]  # the circle that was: checks builds a Matcher itself
