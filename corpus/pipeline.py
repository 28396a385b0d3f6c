"""The pipeline: stages as plain functions over the store, declared Stanza-style.

Each :class:`Stage` declares what it ``requires`` and ``provides``; :func:`run` checks the chain and
runs the stages in order. A stage processes units of work (an article, a document pair) that are not
yet marked done in the store and writes each unit's output together with its done-mark in one
transaction, so an interrupted run resumes where it stopped and a re-run changes nothing.

Every stage is ``fn(store, cfg: RunConfig, rt: Runtime | None = None)``: ``cfg`` is what the results
depend on, ``rt`` how the run executes (quiet, redo, a ready encoder). Each done-mark carries the hash
of the config section its stage depends on; a stage whose stored results were made with another
config refuses (:class:`ConfigChanged`) unless asked to redo it, so results of two configs never mix.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .config import STAGE_SECTIONS, RunConfig, Signature, changed_keys, section_hash
from .progress import progress
from .store import Store


class PipelineError(Exception):
    """A pipeline that cannot run as asked (missing prerequisite, bad option)."""


@dataclass
class Runtime:
    """How a run executes, kept apart from what it computes (:class:`corpus.config.RunConfig`).

    ``quiet``: no progress bars. ``redo``: stages to recompute although their recorded config differs
    from the current one (``"*"``: every changed stage); a stage given by name is recomputed even when
    unchanged. ``encoder``: a ready encoder object (tests, executors); by default the run builds
    ``cfg.encoder`` once, wrapped with the store's embedding cache."""

    quiet: bool = False
    redo: frozenset[str] = frozenset()
    encoder: object = field(default=None, repr=False, compare=False)

    def get_encoder(self, store: Store, cfg: RunConfig):
        """The encoder, wrapped with the store's embedding cache (built once per run)."""
        if self.encoder is None:
            from align.encoders import CachedEncoder, get_encoder

            self.encoder = CachedEncoder(get_encoder(cfg.encoder), store)
        return self.encoder


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
    fn: Callable[..., StageReport]  # fn(store, cfg: RunConfig, rt: Runtime | None = None)
    help: str = ""


# ---------------------------------------------------------------------------- config checks
_DOWNSTREAM = {"segment": (), "pair": ("align", "flag"), "align": ("flag",), "flag": ()}


def recorded_hashes(store: Store, stage: str) -> set[str]:
    """The config hashes carried by ``stage``'s done-marks (a mark from before hashes were recorded
    counts as the default config's)."""
    rows = store.db.execute("SELECT DISTINCT json_extract(info, '$.cfg') FROM done WHERE stage=?", (stage,))
    return {h if h is not None else Signature(RunConfig()).stage_hash(stage) for (h,) in rows}


def config_changes(store: Store, cfg: RunConfig, stages) -> dict[str, list[str]]:
    """Stage → the config keys changed since its stored results were made, for each of ``stages``
    whose done-marks carry another config than ``cfg``'s (empty dict: nothing would be mixed).

    The sections behind the recorded hashes are kept in store meta (``config_sections``); a setting
    added since (absent from the recorded section) at its default value is no change."""
    sig, default = Signature(cfg), Signature(RunConfig())
    sections = dict(store.get_meta("config_sections", {}) or {})
    for sec in (store.get_meta("stage_config", {}) or {}).values():  # meta of the first version of this check
        sections.setdefault(section_hash(sec), sec)
    out = {}
    for stage in stages:
        if not STAGE_SECTIONS.get(stage):
            continue
        h, new = sig.stage_hash(stage), sig.section(stage)
        keys: set[str] = set()
        for old_h in recorded_hashes(store, stage) - {h}:
            old = sections.get(old_h) or (default.section(stage) if old_h == default.stage_hash(stage) else None)
            keys.update(changed_keys(old, new, default.section(stage)) if old is not None else ["config (not recorded)"])
        if keys:
            out[stage] = sorted(keys)
    return out


def _begin(store: Store, stage: str, cfg: RunConfig, rt: Runtime) -> str:
    """Check ``stage`` may add results made with ``cfg`` to the store and return its config hash.

    Results made with another config make it refuse (:class:`ConfigChanged`) unless the stage is in
    ``rt.redo``: then, in one transaction, its results and those of the stages downstream are removed
    with their done-marks, so the stage recomputes everything, and an interrupted redo resumes with
    no result of the old config left. The section behind the hash is recorded in store meta."""
    sig = Signature(cfg)
    h = sig.stage_hash(stage)
    changed = config_changes(store, cfg, [stage])
    forced = stage in rt.redo
    if changed and not (forced or "*" in rt.redo):
        raise ConfigChanged(changed)
    sections = dict(store.get_meta("config_sections", {}) or {})
    sections[h] = sig.section(stage)
    with store.transaction() as db:
        if changed or forced:
            for st in (stage, *_DOWNSTREAM[stage]):
                db.execute("DELETE FROM done WHERE stage=?", (st,))
            db.execute("DELETE FROM flags")
            if stage in ("pair", "align"):
                db.execute("DELETE FROM beads")
        store.set_meta("config_sections", sections)
    return h


class ConfigChanged(PipelineError):
    """Stored results of a stage were made with another config than the current one."""

    def __init__(self, changed: dict[str, list[str]]):
        self.changed = changed
        parts = "; ".join(f"stage {s!r} was run with a different {', '.join(k)}" for s, k in changed.items())
        one = next(iter(changed))
        super().__init__(
            f"config changed: {parts}; refusing to mix results: rerun with --redo {one} (or --redo for every "
            "changed stage) to recompute it and the stages after it")


# ---------------------------------------------------------------------------- stages
def segment_stage(store: Store, cfg: RunConfig, rt: Runtime | None = None) -> StageReport:
    """Split every alignable article into sentences (datelines were stripped by the parser)."""
    from corpus.segment import segment_article

    rt = rt or Runtime()
    rep = StageReport("segment")
    done = store.done_keys("segment")
    todo = [a for a in store.articles(status="ok") if str(a.id) not in done]
    rep.skipped = len(store.articles(status="ok")) - len(todo)
    for art in progress(todo, desc="segment", quiet=rt.quiet):
        store.put_sentences(art.id, segment_article(art))
        rep.done += 1
    return rep


def pair_stage(store: Store, cfg: RunConfig, rt: Runtime | None = None) -> StageReport:
    """Pair the articles of the first two editions by content (one global assignment, then stored).

    The assignment depends on the whole article set, so the unit of work is that set: its hash is
    the done-key; when no article was added or changed, nothing is recomputed.
    """
    from .pairing import pair_articles

    rt = rt or Runtime()
    rep = StageReport("pair")
    h = _begin(store, "pair", cfg, rt)
    src = store.articles(edition=cfg.src_edition, source=cfg.source, status="ok")
    tgt = store.articles(edition=cfg.tgt_edition, source=cfg.source, status="ok")
    key = pair_key(cfg, src, tgt)
    if store.is_done("pair", key):
        rep.skipped = len(store.pairs())
        return rep
    if not src or not tgt:
        raise PipelineError(
            f"nothing to pair: {len(src)} {cfg.source}/{cfg.src_edition} and {len(tgt)} {cfg.source}/{cfg.tgt_edition} "
            "articles in the store"
        )
    stats: dict = {}
    pairs = pair_articles(src, tgt, rt.get_encoder(store, cfg), cfg.pairing, quiet=rt.quiet, stats=stats)
    with store.transaction():
        store.put_pairs(pairs, replace_all=True)
        store.clear_done("pair")
        store.mark_done("pair", key, {"pairs": len(pairs), "cfg": h})
    rep.done = len(pairs)
    rep.info["unpaired_src"] = len(src) - len({p.src_id for p in pairs})
    rep.info["unpaired_tgt"] = len(tgt) - len({p.tgt_id for p in pairs})
    rep.info["many_1"] = sum(p.kind == "many-1" for p in pairs)
    return rep


def pair_key(cfg: RunConfig, src, tgt) -> str:
    """The pair stage's done-key: the encoder, the pairing config and both article sets (ids and content)."""
    from .records import content_hash

    return content_hash(cfg.encoder, cfg.pairing.signature(), *(f"{a.id}:{a.hash}" for a in src), "|",
                        *(f"{a.id}:{a.hash}" for a in tgt))


def _texts(store: Store, article_id: int) -> list[str]:
    return [s.text for s in store.sentences(article_id)]


def align_stage(store: Store, cfg: RunConfig, rt: Runtime | None = None) -> StageReport:
    """Align the sentences of every document pair not yet aligned."""
    from align.aligner import align

    rt = rt or Runtime()
    rep = StageReport("align")
    h = _begin(store, "align", cfg, rt)
    acfg = cfg.alignment.effective()
    done = store.done_keys("align")
    pairs = store.pairs()
    todo = [p for p in pairs if str(p.id) not in done]
    rep.skipped = len(pairs) - len(todo)
    enc = rt.get_encoder(store, cfg)
    n_many = 0
    lang_pairs: set[tuple[str, str]] = set()
    for p in progress(todo, desc="align", quiet=rt.quiet):
        src_lang = store.article(p.src_id).lang
        tgt_lang = store.article(p.tgt_id).lang
        lang_pairs.add((src_lang, tgt_lang))
        src, tgt = _texts(store, p.src_id), _texts(store, p.tgt_id)
        info = {"aligner": acfg.signature(), "cfg": h}
        if p.kind == "many-1":
            beads, info["tgt_part"] = _align_many1(store, p, src, tgt, enc, src_lang, tgt_lang, acfg, cfg.pairing)
            n_many += 1
        else:
            beads = align(src, tgt, enc, src_lang=src_lang, tgt_lang=tgt_lang, config=acfg)
        store.put_beads(p.id, beads, info=info)
        rep.done += 1
    rep.info["aligner"] = acfg.signature()
    if lang_pairs:  # which encoder aligned which language pair, and whether it was trained on both languages
        from align.coverage import pair_note

        rep.info["encoder"] = "; ".join(pair_note(cfg.encoder, a, b) for a, b in sorted(lang_pairs))
    if n_many:
        rep.info["many_1"] = n_many
    return rep


def _align_many1(store: Store, p, src: list[str], tgt: list[str], enc, src_lang: str, tgt_lang: str, cfg,
                 pair_cfg=None):
    """Beads of a many-1 pair: the secondary source item aligned only with the target sentences that tell
    its story (:func:`corpus.pairing.many1_span`), target indices mapped back to the whole document; the
    rest of the target belongs to the primary pair and gets no bead here (so no flag). No part found:
    no beads. Returns (beads, the target sentence indices used)."""
    from align.aligner import align

    from .pairing import many1_span
    from .records import Bead

    prim = p.evidence.get("primary_src_id")
    primary = _texts(store, int(prim)) if prim is not None else []
    part = many1_span(src, primary, tgt, enc, src_lang=src_lang, tgt_lang=tgt_lang, config=pair_cfg)
    if not part:
        return [], []
    beads = align(src, [tgt[k] for k in part], enc, src_lang=src_lang, tgt_lang=tgt_lang, config=cfg)
    return [Bead(b.src, tuple(part[k] for k in b.tgt), b.score) for b in beads], part


def flag_stage(store: Store, cfg: RunConfig, rt: Runtime | None = None, *, name_editions: bool = False) -> StageReport:
    """Flag wording differences on every aligned pair not yet flagged; with ``name_editions`` (the N-way build) each
    flag also names both editions (``detail["editions"] = [source edition, target edition]``)."""
    from align.flags import detect

    rt = rt or Runtime()
    rep = StageReport("flag")
    h = _begin(store, "flag", cfg, rt)
    aligned = store.done_keys("align")
    done = store.done_keys("flag")
    pairs = [p for p in store.pairs() if str(p.id) in aligned]
    todo = [p for p in pairs if str(p.id) not in done]
    rep.skipped = len(pairs) - len(todo)
    enc = rt.get_encoder(store, cfg)
    n_flags = 0
    for p in progress(todo, desc="flag", quiet=rt.quiet):
        src_a, tgt_a = store.article(p.src_id), store.article(p.tgt_id)
        flags = detect(
            _texts(store, p.src_id), _texts(store, p.tgt_id), store.beads(p.id),
            src_lang=src_a.lang, tgt_lang=tgt_a.lang, encoder=enc, config=cfg.flags,
        )
        if name_editions:
            for fl in flags:
                for f in fl:
                    f.detail["editions"] = [src_a.edition, tgt_a.edition]
        store.put_flags(p.id, flags, info={"cfg": h})
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


# signature keys that describe one stage's results (kept from the stored signature when that stage is not rerun)
_SIG_KEYS = {"pair": ("source", "editions", "pairing"), "align": ("aligner",), "flag": ("flags",)}


def signature(store: Store, cfg: RunConfig, rt: Runtime | None = None, stages=None) -> dict:
    """The reproducibility signature of the store's content (:class:`corpus.config.Signature`), kept in
    store meta. ``stages``: the stages this run computed; the others keep what the stored signature
    says of them, so the signature describes the results the store holds."""
    rt = rt or Runtime()
    enc_sig = None
    try:
        enc_sig = rt.get_encoder(store, cfg).signature()
    except Exception:  # an encoder that cannot be built is reported by the stage that needs it
        pass
    sig = Signature(cfg, enc_sig).as_dict()
    old = store.get_meta("signature") or {}
    for stage, keys in _SIG_KEYS.items():
        if stages is not None and stage not in stages and stage in (old.get("stages") or {}):
            for k in keys:
                if k in old:
                    sig[k] = old[k]
            sig["stages"][stage] = old["stages"][stage]
    arts = store.articles(status="ok")
    if arts:
        sig["date_range"] = [min(a.published for a in arts)[:10], max(a.published for a in arts)[:10]]
    return sig


def run(store: Store, cfg: RunConfig | None = None, stages: list[str] | None = None, *, rt: Runtime | None = None,
        log: Callable[[str], None] | None = None) -> list[StageReport]:
    """Run ``stages`` (default: all, in order) with ``cfg`` (default: :class:`RunConfig` defaults).

    Checks first that each stage's requirements are provided and that no stage to run holds results
    of another config (:class:`ConfigChanged`, unless ``rt.redo`` names it), so a refused run changes
    nothing; then records the store's signature."""
    cfg = cfg or RunConfig()
    rt = rt or Runtime()
    names = stages or list(STAGES)
    unknown = [n for n in names if n not in STAGES]
    if unknown:
        raise PipelineError(f"unknown stage(s): {', '.join(unknown)}; stages are {', '.join(STAGES)}")
    bad_redo = sorted(set(rt.redo) - set(names) - {"*"})
    if bad_redo:
        raise PipelineError(f"--redo {', '.join(bad_redo)}: not a stage of this command ({', '.join(names)})")
    no_config = sorted(s for s in rt.redo if s in STAGES and not STAGE_SECTIONS.get(s))
    if no_config:
        raise PipelineError(f"--redo {', '.join(no_config)}: that stage has no config to redo with")
    ordered = [n for n in STAGES if n in names]
    changed = config_changes(store, cfg, ordered)
    refused = {s: k for s, k in changed.items() if s not in rt.redo and "*" not in rt.redo}
    # a stage redone upstream clears its downstream results, so their old config no longer matters
    for s in list(refused):
        if any(s in _DOWNSTREAM[u] and (u in rt.redo or ("*" in rt.redo and u in changed)) for u in ordered):
            del refused[s]
    if refused:
        raise ConfigChanged(refused)
    available = {"articles"}
    # what earlier runs left in the store counts as provided
    if store.counts()["sentences"]:
        available.add("sentences")
    if store.pairs():
        available.add("pairs")
    if store.done_keys("align"):
        available.add("beads")
    reports = []
    for name in ordered:
        st = STAGES[name]
        missing = [r for r in st.requires if r not in available]
        if missing:
            raise PipelineError(f"stage {name!r} needs {', '.join(missing)}: run {_provider(missing[0])} first")
        t0 = time.perf_counter()
        rep = st.fn(store, cfg, rt)
        rep.seconds = time.perf_counter() - t0
        available.update(st.provides)
        reports.append(rep)
        if log:
            log(rep.line())
    store.set_meta("signature", signature(store, cfg, rt, ordered))
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
