"""The layers are one-way: ``align/`` (sentences) never imports ``corpus/`` (documents, store, CLI) or
``scripts/``; ``corpus/`` builds on ``align/``; no two ``corpus`` modules import each other."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path, pkg: str | None = None) -> set[str]:
    """Absolute names of the modules ``path`` (module ``pkg``) imports, relative imports resolved, at any depth."""
    if pkg is None:
        pkg = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if path.name == "__init__.py":
            pkg += ".__init__"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")[: -node.level]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.add(mod)
            out.update(f"{mod}.{a.name}" for a in node.names)
    return out


def _modules(top: str) -> dict[str, Path]:
    return {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
            for p in (ROOT / top).rglob("*.py")}


def test_align_never_imports_corpus_or_scripts():
    offenders = sorted(f"{name} imports {imp}" for name, p in _modules("align").items()
                       for imp in _imports(p) if imp.split(".")[0] in ("corpus", "scripts"))
    assert not offenders, offenders


def test_the_checker_sees_an_upward_import(tmp_path):
    """The scan is real: a module that imports corpus is caught (relative and absolute forms)."""
    fake = tmp_path / "probe.py"
    fake.write_text("from corpus.records import Article\ndef f():\n    from ..corpus import store\n", encoding="utf-8")
    found = _imports(fake, "align.probe")
    assert "corpus.records" in found and "corpus.store" in found


KNOWN_CYCLES: set[str] = set()


def test_no_import_cycles_between_corpus_modules():
    mods = _modules("corpus")
    graph = {name: {m for m in mods if m != name and any(i == m or i.startswith(m + ".") and i[len(m) + 1:] not in mods
                                                          for i in _imports(p))}
             for name, p in mods.items()}
    # only edges to modules (not to packages' re-exports): a cycle is a pair that import each other
    cycles = sorted(f"{a} <-> {b}" for a in graph for b in graph[a] if a < b and a in graph.get(b, ()))
    cycles = [c for c in cycles if not any(part.endswith("__init__") for part in c.split(" <-> "))]
    assert set(cycles) <= KNOWN_CYCLES, sorted(set(cycles) - KNOWN_CYCLES)


MAX_DOCSTRING_LINES = 25


def _docstring_lines(path: Path) -> int:
    """Source lines the module docstring spans (opening to closing quotes); 0 when there is none."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return first.end_lineno - first.lineno + 1
    return 0


def test_module_docstrings_are_at_most_25_lines():
    """Module docstrings say what, why and the defaults; history and long protocols live in docs/."""
    long = sorted(f"{p.relative_to(ROOT)}: {n} lines" for top in ("align", "corpus", "scripts")
                  for p in (ROOT / top).rglob("*.py") if (n := _docstring_lines(p)) > MAX_DOCSTRING_LINES)
    assert not long, long


def test_the_docstring_count_sees_a_long_docstring(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text('#!/usr/bin/env python\n"""One.\n\n' + "line\n" * 30 + '"""\nX = 1\n', encoding="utf-8")
    assert _docstring_lines(probe) == 33
    probe.write_text("X = 1\n", encoding="utf-8")
    assert _docstring_lines(probe) == 0


def test_scripts_import_the_installed_package_without_editing_sys_path():
    """Scripts import ``corpus`` / ``align`` as installed (``pip install -e .``), never by editing ``sys.path``."""
    offenders = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "scripts").glob("*.py")
                       if any(isinstance(n, ast.Attribute) and n.attr == "path" and isinstance(n.value, ast.Name)
                              and n.value.id == "sys" for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))))
    assert not offenders, offenders
