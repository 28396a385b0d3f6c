"""A plug-in is one file: a detector declared in this module (one class) reaches the taxonomy, the report's legend
and colours, the dataset card, the explanations and the flag output; ``requires`` is enforced when the detector set
is built; a source declared here registers its editions and shows up in the ``fetch`` command's choices."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from align.flags import FlagConfig, FlagType, build_detectors, detect, registry
from align.flags.base import Candidate, Detector, register
from align.records import Bead, Span


class EchoDetector(Detector):
    """A toy detector: flags a bead whose target repeats a word twice in a row ("the the")."""

    name = "echo"
    provides = ("word_repeated",)
    requires = ("lexicon",)
    declares = (
        FlagType("word_repeated", "a word written twice in a row in the target", label="repeated word",
                 what="The target repeats a word.", why="A typo a reader notices.", colour="#123456",
                 severity="critical", confidence_floor=0.8),
    )
    default_thresholds = {"echo": 1.0}
    detail_keys = (("repeated", "word_repeated", "the repeated word"),)

    def score(self, ctx):
        m = re.search(r"\b(\w+) \1\b", ctx.tgt_text)
        if not m:
            return []
        return [Candidate("word_repeated", 1.0, (), (Span(m.start(), m.end()),), {"repeated": m.group(1)})]


@pytest.fixture
def echo():
    register(EchoDetector)
    yield EchoDetector
    registry.unregister("echo")


def test_a_detector_in_one_file_reaches_every_derived_place(echo, tmp_path):
    from align.flags.explain import explain, type_info
    from align.records import flag_types
    from corpus.export.docs import flag_section
    from corpus.report import css, type_colors, type_legend

    assert flag_types()[-1] == "word_repeated" and flag_types()[:2] == ("omission", "addition")
    cfg = FlagConfig()
    assert "echo" in cfg.detectors and cfg.thresholds["echo"] == 1.0
    out = detect(["Он пришёл домой."], ["He came the the home."], [Bead((0,), (0,))], src_lang="ru", tgt_lang="en")
    (f,) = [f for f in out[0] if f.type == "word_repeated"]
    assert f.severity == "critical" and f.score == 0.8 and f.detail["detector"] == "echo"
    card = "\n".join(flag_section())
    assert "| `word_repeated` | critical | a word written twice in a row in the target |" in card
    assert "| `repeated` | word_repeated | the repeated word |" in card and ", echo |" in card
    legend = type_legend({"word_repeated": 1})
    assert 'class="chip t-word_repeated">word_repeated' in legend and "The target repeats a word." in legend
    assert type_colors()["word_repeated"] == "#123456" and ".chip.t-word_repeated{background:#123456}" in css()
    assert type_info("word_repeated")["label"] == "repeated word"
    assert "A typo a reader notices (critical)." in explain(f, "Он пришёл домой.", "He came the the home.")


def test_unregistered_detector_leaves_no_trace(echo):
    registry.unregister("echo")
    from align.records import flag_types

    assert "word_repeated" not in flag_types() and "echo" not in FlagConfig().detectors
    register(EchoDetector)  # the fixture unregisters it again


def test_a_flag_type_is_declared_once():
    class Twin(EchoDetector):
        name = "twin"
        declares = (FlagType("omission", "again"),)

    with pytest.raises(ValueError, match="already declared by detector 'coverage'"):
        register(Twin)
    assert "twin" not in registry.DETECTORS


def test_requires_is_enforced_when_the_detector_set_is_built(echo):
    class NeedsParse(EchoDetector):
        name = "needs_parse"
        declares = ()
        provides = ("word_repeated",)
        requires = ("lexicon", "parse_tree")

    class NeedsEcho(NeedsParse):
        name = "needs_echo"
        requires = ("word_repeated",)  # read from an earlier detector's output

    register(NeedsParse)
    register(NeedsEcho)
    try:
        with pytest.raises(ValueError, match="detector 'needs_parse' requires 'parse_tree'"):
            build_detectors(FlagConfig(detectors=("numbers", "needs_parse")))
        assert [d.name for d in build_detectors(FlagConfig(detectors=("echo", "needs_echo")))] == ["echo", "needs_echo"]
        with pytest.raises(ValueError, match="detector 'needs_echo' requires 'word_repeated'"):
            build_detectors(FlagConfig(detectors=("needs_echo", "echo")))
    finally:
        registry.unregister("needs_parse")
        registry.unregister("needs_echo")


def test_every_builtin_requirement_is_provided():
    # the shipped set passes the check, and every requirement it names is one the context provides
    build_detectors(FlagConfig())
    for cls in registry.DETECTORS.values():
        assert set(cls.requires) <= set(registry.CONTEXT_PROVIDES), cls.name


# ------------------------------------------------------------------ sources
@pytest.fixture
def lorem_source():
    from corpus.fetch.base import Source
    from corpus.fetch.sources import Edition, register_source, unregister_source

    @register_source("lorem")
    def lorem() -> Source:
        """A made-up agency with a Latin and a Welsh edition."""
        return Source(name="lorem", editions={"la": Edition(name="la", lang="la", host="lorem.example"),
                                              "cy": Edition(name="cy", lang="cy", host="cy.lorem.example")})

    yield lorem
    unregister_source("lorem")


def test_a_source_in_one_file_registers_its_editions_and_reaches_the_cli(lorem_source, tmp_path):
    from corpus.cli import cli
    from corpus.fetch import sources
    from corpus.parse import edition_lang

    assert "lorem" in sources.source_names() and sources.editions("lorem") == {"la": "la", "cy": "cy"}
    assert sources.editions("tass") == {"ru": "ru", "en": "en"} and sources.editions("kcna")["kp"] == "ko"
    assert edition_lang("lorem", "cy") == "cy" and edition_lang("kcna", "jp") == "ja"
    assert sources.get_source("lorem").lang == {"la": "la", "cy": "cy"}
    r = CliRunner().invoke(cli, ["fetch", "--help"])
    assert r.exit_code == 0 and "lorem" in r.output and "lorem: la, cy" in " ".join(r.output.split())
    store = str(tmp_path / "s.sqlite")
    r = CliRunner().invoke(cli, ["--store", store, "fetch", "--source", "lorem", "--edition", "en"])
    assert r.exit_code == 1 and "unknown edition 'en' of lorem (choose from: la, cy, all)" in r.output
    r = CliRunner().invoke(cli, ["--store", store, "fetch", "--source", "nope"])
    assert r.exit_code == 2 and "'nope' is not one of 'tass', 'kcna', 'lorem'" in r.output
    with pytest.raises(ValueError, match="unknown source 'nope'"):
        sources.editions("nope")


# ------------------------------------------------------------------ exporters
def test_an_exporter_in_one_file_is_a_format_with_its_docs(tmp_path):
    from corpus.cli import cli
    from corpus.export import export, writers
    from corpus.export.base import WRITER_CLASSES, Writer
    from corpus.store import Store
    from export_fixtures import fill_store

    class CountWriter(Writer):
        """Writes how many beads each split has."""

        name = "counts"
        description = "bead counts per split"
        files_doc = "`<split>.count`, one number"
        fields_doc = "no field: only how many rows there are"

        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self.n = dict.fromkeys(self.splits, 0)

        def write(self, split, row):
            self.n[split] += 1

        def finish(self, info):
            for s, n in self.n.items():
                (self.folder / f"{s}.count").write_text(str(n), encoding="utf-8")
            return self.main_name("count")

    try:
        assert list(writers())[:6] == ["hf", "parquet", "jsonl", "tmx", "moses", "tsv"] and "counts" in writers()
        r = CliRunner().invoke(cli, ["export", "--help"])
        assert "counts" in r.output
        with Store(tmp_path / "s.sqlite") as store:
            fill_store(store, 2)
            out = export(store, "counts", tmp_path / "o", quiet=True)
        assert int(out.read_text()) > 0
        readme = (tmp_path / "o" / "export-info.counts.md").read_text(encoding="utf-8")
        assert "Bead counts per split." in readme and "`<split>.count`, one number." in readme
        assert "no field: only how many rows there are." in readme
    finally:
        WRITER_CLASSES.pop("counts", None)
    assert "counts" not in writers()


# ------------------------------------------------------------------ encoders
def test_an_encoder_registered_in_one_place_is_built_and_listed_in_every_encoder_help():
    import numpy as np

    from align import encoders
    from corpus.cli import cli

    class OnesEncoder(encoders.Encoder):
        name, dim = "ones", 3

        def encode(self, texts, lang=None):
            return np.full((len(texts), 3), 3 ** -0.5, dtype=np.float32)

        def signature(self):
            return "ones"

    encoders.register("ones", OnesEncoder, "every sentence the same")
    try:
        assert "ones" in encoders.available() and encoders.get_encoder("ones").encode(["a"]).shape == (1, 3)
        for cmd in (["build", "--help"], ["diff", "--help"], ["align", "--help"]):
            out = " ".join(CliRunner().invoke(cli, cmd).output.split())
            assert "ones (every sentence the same)" in out and "e5-small (bundled, default)" in out, cmd
    finally:
        encoders._REGISTRY.pop("ones")
        encoders._DESCRIPTIONS.pop("ones")
    with pytest.raises(encoders.EncoderError, match="unknown encoder 'ones'"):
        encoders.get_encoder("ones")
