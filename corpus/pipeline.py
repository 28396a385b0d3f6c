"""The pipeline: stages as plain functions over the store, declared Stanza-style.

Each :class:`Stage` declares what it ``requires`` and ``provides``; :func:`run` checks the chain and
runs the stages in order. A stage processes units of work (an article, a document pair) that are not
yet marked done in the store and writes each unit's output together with its done-mark in one
transaction, so an interrupted run resumes where it stopped and a re-run changes nothing.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__
from .progress import progress
from .records import dumps
from .store import Store


class PipelineError(Exception):
    """A pipeline that cannot run as asked (missing prerequisite, bad option)."""


@dataclass
class Options:
    """Everything that parameterises a run; recorded in the store's signature."""

    encoder: str = "e5-small"
    src_edition: str = "ru"
    tgt_edition: str = "en"
    source: str = "tass"
    quiet: bool = False
    lexicon: str | None = None  # extra framing lexicon file for the flag stage
    _encoder_obj: object = field(default=None, repr=False, compare=False)

    def get_encoder(self, store: Store):
        """The encoder, wrapped with the store's embedding cache (built once per run)."""
        if self._encoder_obj is None:
            from align.encoders import CachedEncoder, get_encoder

            self._encoder_obj = CachedEncoder(get_encoder(self.encoder), store)
        return self._encoder_obj


@dataclass
class StageReport:
    stage: str
    done: int = 0  # units processed in this run
    skipped: int = 0  # units already done before this run
    seconds: float = 0.0
    info: dict = field(default_factory=dict)

    def line(self) -> str:
        extra = "".join(f", {k}={v}" for k, v in self.info.items())
        return f"{self.stage:<8} processed {self.done}, already done {self.skipped}, {self.seconds:.1f}s{extra}"


@dataclass(frozen=True)
class Stage:
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    fn: Callable[[Store, Options], StageReport]
    help: str = ""


# ---------------------------------------------------------------------------- stages
def segment_stage(store: Store, opts: Options) -> StageReport:
    """Split every alignable article into sentences (datelines were stripped by the parser)."""
    from corpus.segment import segment_article

    rep = StageReport("segment")
    done = store.done_keys("segment")
    todo = [a for a in store.articles(status="ok") if str(a.id) not in done]
    rep.skipped = len(store.articles(status="ok")) - len(todo)
    for art in progress(todo, desc="segment", quiet=opts.quiet):
        store.put_sentences(art.id, segment_article(art))
        rep.done += 1
    return rep


def pair_stage(store: Store, opts: Options) -> StageReport:
    """Pair the articles of the two editions by content (one global assignment, then stored).

    The assignment depends on the whole article set, so the unit of work is that set: its hash is
    the done-key; when no article was added or changed, nothing is recomputed.
    """
    from .pairing import PairConfig, pair_articles

    rep = StageReport("pair")
    cfg = PairConfig()
    src = store.articles(edition=opts.src_edition, source=opts.source, status="ok")
    tgt = store.articles(edition=opts.tgt_edition, source=opts.source, status="ok")
    from .records import content_hash

    key = content_hash(opts.encoder, cfg.signature(), *(f"{a.id}:{a.hash}" for a in src), "|", *(f"{a.id}:{a.hash}" for a in tgt))
    if store.is_done("pair", key):
        rep.skipped = len(store.pairs())
        return rep
    if not src or not tgt:
        raise PipelineError(
            f"nothing to pair: {len(src)} {opts.src_edition!r} and {len(tgt)} {opts.tgt_edition!r} articles in the store"
        )
    stats: dict = {}
    pairs = pair_articles(src, tgt, opts.get_encoder(store), cfg, quiet=opts.quiet, stats=stats)
    with store.transaction():
        store.put_pairs(pairs, replace_all=True)
        store.clear_done("pair")
        store.mark_done("pair", key, {"pairs": len(pairs)})
    rep.done = len(pairs)
    rep.info["unpaired_src"] = len(src) - len({p.src_id for p in pairs})
    rep.info["unpaired_tgt"] = len(tgt) - len({p.tgt_id for p in pairs})
    rep.info["many_1"] = sum(p.kind == "many-1" for p in pairs)
    return rep


def _texts(store: Store, article_id: int) -> list[str]:
    return [s.text for s in store.sentences(article_id)]


def align_stage(store: Store, opts: Options) -> StageReport:
    """Align the sentences of every document pair not yet aligned."""
    from align.aligner import AlignConfig, align

    rep = StageReport("align")
    cfg = AlignConfig().effective()
    done = store.done_keys("align")
    pairs = store.pairs()
    todo = [p for p in pairs if str(p.id) not in done]
    rep.skipped = len(pairs) - len(todo)
    enc = opts.get_encoder(store)
    n_many = 0
    lang_pairs: set[tuple[str, str]] = set()
    for p in progress(todo, desc="align", quiet=opts.quiet):
        src_lang = store.article(p.src_id).lang
        tgt_lang = store.article(p.tgt_id).lang
        lang_pairs.add((src_lang, tgt_lang))
        src, tgt = _texts(store, p.src_id), _texts(store, p.tgt_id)
        info = {"aligner": cfg.signature()}
        if p.kind == "many-1":
            beads, info["tgt_part"] = _align_many1(store, p, src, tgt, enc, src_lang, tgt_lang, cfg)
            n_many += 1
        else:
            beads = align(src, tgt, enc, src_lang=src_lang, tgt_lang=tgt_lang, config=cfg)
        store.put_beads(p.id, beads, info=info)
        rep.done += 1
    rep.info["aligner"] = cfg.signature()
    if lang_pairs:  # which encoder aligned which language pair, and whether it was trained on both languages
        from align.coverage import pair_note

        rep.info["encoder"] = "; ".join(pair_note(opts.encoder, a, b) for a, b in sorted(lang_pairs))
    if n_many:
        rep.info["many_1"] = n_many
    return rep


def _align_many1(store: Store, p, src: list[str], tgt: list[str], enc, src_lang: str, tgt_lang: str, cfg):
    """Beads of a many-1 pair: the secondary source item aligned only with the target sentences that tell
    its story (:func:`corpus.pairing.many1_span`), target indices mapped back to the whole document; the
    rest of the target belongs to the primary pair and gets no bead here (so no flag). No part found:
    no beads. Returns (beads, the target sentence indices used)."""
    from align.aligner import align

    from .pairing import many1_span
    from .records import Bead

    prim = p.evidence.get("primary_src_id")
    primary = _texts(store, int(prim)) if prim is not None else []
    part = many1_span(src, primary, tgt, enc, src_lang=src_lang, tgt_lang=tgt_lang)
    if not part:
        return [], []
    beads = align(src, [tgt[k] for k in part], enc, src_lang=src_lang, tgt_lang=tgt_lang, config=cfg)
    return [Bead(b.src, tuple(part[k] for k in b.tgt), b.score) for b in beads], part


def flag_stage(store: Store, opts: Options) -> StageReport:
    """Flag wording differences on every aligned pair not yet flagged."""
    from align.flags import FlagConfig, detect

    rep = StageReport("flag")
    cfg = FlagConfig(extra_lexicon=opts.lexicon) if opts.lexicon else FlagConfig()
    aligned = store.done_keys("align")
    done = store.done_keys("flag")
    pairs = [p for p in store.pairs() if str(p.id) in aligned]
    todo = [p for p in pairs if str(p.id) not in done]
    rep.skipped = len(pairs) - len(todo)
    enc = opts.get_encoder(store)
    n_flags = 0
    for p in progress(todo, desc="flag", quiet=opts.quiet):
        src_a, tgt_a = store.article(p.src_id), store.article(p.tgt_id)
        flags = detect(
            _texts(store, p.src_id), _texts(store, p.tgt_id), store.beads(p.id),
            src_lang=src_a.lang, tgt_lang=tgt_a.lang, encoder=enc, config=cfg,
        )
        store.put_flags(p.id, flags)
        n_flags += sum(len(f) for f in flags)
        rep.done += 1
    rep.info["flags"] = n_flags
    return rep


STAGES: dict[str, Stage] = {
    s.name: s
    for s in (
        Stage("segment", ("articles",), ("sentences",), segment_stage, "split articles into sentences"),
        Stage("pair", ("articles",), ("pairs",), pair_stage, "pair articles across editions by content"),
        Stage("align", ("sentences", "pairs"), ("beads",), align_stage, "align the sentences of each pair"),
        Stage("flag", ("beads",), ("flags",), flag_stage, "flag wording differences on each bead"),
    )
}


def signature(store: Store, opts: Options) -> dict:
    """The reproducibility signature of the store's content (sacrebleu-style), kept in store meta."""
    sig = {"tool": f"tasscorpus {__version__}", "encoder": opts.encoder, "source": opts.source,
           "editions": f"{opts.src_edition}-{opts.tgt_edition}"}
    try:
        sig["encoder"] = opts.get_encoder(store).signature()
    except Exception:  # an encoder that cannot be built is reported by the stage that needs it
        pass
    try:
        from .pairing import PairConfig

        sig["pairing"] = PairConfig().signature()
    except ImportError:
        pass
    try:
        from align.aligner import AlignConfig

        sig["aligner"] = AlignConfig().effective().signature()
    except ImportError:
        pass
    try:
        from align.flags import FlagConfig

        sig["flags"] = FlagConfig().signature() if hasattr(FlagConfig, "signature") else dumps(asdict(FlagConfig()))
    except ImportError:
        pass
    arts = store.articles(status="ok")
    if arts:
        sig["date_range"] = [min(a.published for a in arts)[:10], max(a.published for a in arts)[:10]]
    return sig


def run(store: Store, opts: Options, stages: list[str] | None = None, *, log: Callable[[str], None] | None = None) -> list[StageReport]:
    """Run ``stages`` (default: all, in order), checking that each one's requirements are provided."""
    names = stages or list(STAGES)
    unknown = [n for n in names if n not in STAGES]
    if unknown:
        raise PipelineError(f"unknown stage(s): {', '.join(unknown)}; stages are {', '.join(STAGES)}")
    available = {"articles"}
    # what earlier runs left in the store counts as provided
    if store.counts()["sentences"]:
        available.add("sentences")
    if store.pairs():
        available.add("pairs")
    if store.done_keys("align"):
        available.add("beads")
    reports = []
    for name in [n for n in STAGES if n in names]:
        st = STAGES[name]
        missing = [r for r in st.requires if r not in available]
        if missing:
            raise PipelineError(f"stage {name!r} needs {', '.join(missing)}: run {_provider(missing[0])} first")
        t0 = time.perf_counter()
        rep = st.fn(store, opts)
        rep.seconds = time.perf_counter() - t0
        available.update(st.provides)
        reports.append(rep)
        if log:
            log(rep.line())
    store.set_meta("signature", signature(store, opts))
    return reports


def _provider(what: str) -> str:
    if what == "articles":
        return "'fetch' (or 'demo')"
    for s in STAGES.values():
        if what in s.provides:
            return f"'{s.name}'"
    return "?"


def sample_dir() -> Path:
    """The bundled sample mirror (TASS-like releases written for tasscorpus)."""
    return Path(__file__).resolve().parent / "sample" / "data"
