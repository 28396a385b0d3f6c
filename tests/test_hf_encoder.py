"""``hf:<path>`` encoders with a tiny randomly initialised BERT and a sentencepiece tokenizer
trained here (no download). Skips without torch (the optional [hf] extra)."""

import numpy as np
import pytest

from align.encoders import CachedEncoder, EncoderError, get_encoder

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
spm = pytest.importorskip("sentencepiece")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    d = tmp_path_factory.mktemp("tiny")
    rng = np.random.default_rng(0)
    words = ["moscow", "kremlin", "said", "today", "minister", "talks", "москва", "сказал", "сегодня", "министр",
             "переговоры", "news", "agency", "report", "year", "2026", "the", "and", "в", "и"]
    corpus = d / "corpus.txt"
    corpus.write_text("\n".join(" ".join(rng.choice(words, size=8)) for _ in range(400)) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(corpus), model_prefix=str(d / "sp"), vocab_size=60,
                                   model_type="unigram", character_coverage=1.0, hard_vocab_limit=False)
    tok = transformers.AlbertTokenizer(vocab_file=str(d / "sp.model"))
    torch.manual_seed(0)
    cfg = transformers.BertConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                                  intermediate_size=64, max_position_embeddings=64)
    model = transformers.BertModel(cfg)
    out = d / "model"
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out


@pytest.mark.parametrize("pooling", ["mean", "cls", "pooler"])
def test_hf_encoder_poolings(tiny_model, pooling):
    enc = get_encoder(f"hf:{tiny_model}", pooling=pooling, prefix="query: ", max_length=32, batch_size=2)
    v = enc.encode(["moscow said today", "министр сказал", "the news agency report and talks"], "en")
    assert v.shape == (3, 32) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    # deterministic, and batching does not change the vectors (padding is masked in mean pooling)
    v2 = enc.encode(["moscow said today"], "en")
    assert np.allclose(v[0], v2[0], atol=1e-5)
    assert pooling in enc.signature() and str(tiny_model) in enc.signature()


def test_prefix_changes_embeddings(tiny_model):
    a = get_encoder(f"hf:{tiny_model}").encode(["moscow said"])
    b = get_encoder(f"hf:{tiny_model}", prefix="query: ").encode(["moscow said"])
    assert not np.allclose(a, b)


def test_cached_encoder_does_not_reembed(tiny_model):
    from corpus.store import Store

    inner = get_encoder(f"hf:{tiny_model}")
    calls = []
    orig = inner._encode
    inner._encode = lambda texts, lang: calls.append(len(texts)) or orig(texts, lang)
    with Store(":memory:") as store:
        enc = CachedEncoder(inner, store)
        v1 = enc.encode(["moscow said", "talks today", "moscow said"])
        assert calls == [2]
        enc2 = CachedEncoder(inner, store)  # a fresh wrapper over the same store: a re-run
        v2 = enc2.encode(["talks today", "moscow said"])
        assert calls == [2] and enc2.hits == 2 and enc2.misses == 0
        assert np.allclose(v1[[1, 0]], v2)


def test_missing_model_and_bad_pooling(tmp_path):
    with pytest.raises(EncoderError, match="cannot load hf model"):
        get_encoder(f"hf:{tmp_path / 'nope'}")
    with pytest.raises(EncoderError, match="pooling"):
        get_encoder(f"hf:{tmp_path}", pooling="max")
