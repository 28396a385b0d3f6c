"""Any Hugging Face encoder (``hf:<model id or local path>``) through transformers.

torch and transformers are imported only when an ``HFEncoder`` is built (the optional ``[hf]``
extra); a missing library or model is a one-line :class:`EncoderError`, not a traceback.
Options: ``pooling`` (mean | cls | pooler), ``prefix`` (e.g. ``"query: "`` for e5 models),
``max_length``, ``batch_size``, ``device``. Output rows are always L2-normalised (the Encoder
contract, done in ``Encoder.encode``), so cosine = dot product downstream.
"""

from __future__ import annotations

import numpy as np

from .encoders import Encoder, EncoderError

POOLINGS = ("mean", "cls", "pooler")


class HFEncoder(Encoder):
    def __init__(
        self,
        model: str,
        *,
        pooling: str = "mean",
        prefix: str = "",
        max_length: int = 256,
        batch_size: int = 32,
        device: str = "cpu",
    ):
        if pooling not in POOLINGS:
            raise EncoderError(f"unknown pooling {pooling!r}; choose one of: {', '.join(POOLINGS)}")
        if not model:
            raise EncoderError("hf: needs a model id or a local path, e.g. hf:intfloat/multilingual-e5-small")
        try:
            import torch
            import transformers
        except ImportError as e:
            raise EncoderError(f"hf encoders need torch and transformers (pip install 'tasscorpus[hf]'): {e}") from None
        self._torch = torch
        try:
            self._tok = transformers.AutoTokenizer.from_pretrained(model)
            self._model = transformers.AutoModel.from_pretrained(model).to(device).eval()
        except Exception as e:  # OSError for a missing model, ValueError for a bad config, ...
            msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise EncoderError(f"cannot load hf model {model!r}: {msg}") from None
        self.model_id = model
        self.pooling = pooling
        self.prefix = prefix
        self.max_length = max_length
        self.batch_size = max(1, batch_size)
        self.device = device
        self.name = f"hf:{model}"
        self.dim = int(self._model.config.hidden_size)

    def signature(self) -> str:
        rev = getattr(self._model.config, "_commit_hash", None) or ""
        return (f"hf({self.model_id}{'@' + rev[:12] if rev else ''},pool={self.pooling},"
                f"prefix={self.prefix!r},max_len={self.max_length})")

    def _encode(self, texts: list[str], lang: str | None) -> np.ndarray:
        torch = self._torch
        out = []
        with torch.inference_mode():
            for i in range(0, len(texts), self.batch_size):
                batch = [self.prefix + t for t in texts[i : i + self.batch_size]]
                enc = self._tok(batch, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt")
                enc = {k: v.to(self.device) for k, v in enc.items()}
                res = self._model(**enc)
                if self.pooling == "pooler":
                    if getattr(res, "pooler_output", None) is None:
                        raise EncoderError(f"model {self.model_id!r} has no pooler output; use pooling=mean or cls")
                    v = res.pooler_output
                elif self.pooling == "cls":
                    v = res.last_hidden_state[:, 0]
                else:
                    mask = enc["attention_mask"].unsqueeze(-1).to(res.last_hidden_state.dtype)
                    v = (res.last_hidden_state * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out.append(v.float().cpu().numpy())
        return np.concatenate(out, axis=0)
