"""docs/ARCHITECTURE.md stays true: every ``align.…`` / ``corpus.…`` name it cites exists, and each "How to add"
example, run as written, registers its plug-in (then the test removes it again)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "ARCHITECTURE.md"


def _resolve(dotted: str):
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for p in parts[i:]:
            obj = getattr(obj, p)
        return obj
    raise ImportError(dotted)


def test_every_cited_name_exists():
    text = DOC.read_text(encoding="utf-8")
    names = sorted({m.group(1) for m in re.finditer(r"`((?:align|corpus)(?:\.\w+)+)", text)})
    assert len(names) > 20
    missing = []
    for n in names:
        try:
            _resolve(n)
        except (ImportError, AttributeError):
            missing.append(n)
    assert not missing, missing


def _examples() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    out = {}
    for m in re.finditer(r"### How to add an? (\w+).*?```python\n(.*?)```", text, re.S):
        out[m.group(1)] = m.group(2)
    return out


def test_the_doc_has_one_example_per_plugin_kind():
    assert set(_examples()) == {"detector", "source", "exporter", "encoder"}


@pytest.mark.parametrize("kind", ["detector", "source", "exporter", "encoder"])
def test_each_how_to_example_registers_its_plugin(kind):
    from align import encoders
    from align.flags import FlagConfig, detect, registry
    from align.records import Bead
    from corpus.export import writers
    from corpus.export.base import WRITER_CLASSES
    from corpus.fetch import sources

    ns: dict = {}
    exec(compile(_examples()[kind], f"ARCHITECTURE.md:{kind}", "exec"), ns)
    try:
        if kind == "detector":
            out = detect(["Он пришёл домой."], ["He came came home."], [Bead((0,), (0,))], src_lang="ru", tgt_lang="en",
                         config=FlagConfig())
            assert [f.type for f in out[0]] == ["word_repeated"] and out[0][0].severity == "minor"
        elif kind == "source":
            assert sources.editions("lorem") == {"la": "la", "cy": "cy"}
        elif kind == "exporter":
            assert "counts" in writers()
        else:
            assert encoders.get_encoder("ones").signature() == "ones(v1)"
    finally:
        registry.unregister("echo")
        sources.unregister_source("lorem")
        WRITER_CLASSES.pop("counts", None)
        encoders._REGISTRY.pop("ones", None)
        encoders._DESCRIPTIONS.pop("ones", None)
