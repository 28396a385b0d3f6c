"""The moved-sentence pass (align.reorder.link_moved): a 1-0 and a 0-1 bead that say the same thing become one
crossing 1-1 bead; replacements next to each other and unlike sentences stay null beads."""

import numpy as np

from align.reorder import link_moved
from corpus.records import Bead


def _unit(rows):
    m = np.asarray(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_a_moved_sentence_becomes_one_crossing_bead():
    # source 0,1,2,3; the English moved source 1 to the end (target 3)
    es = _unit(np.eye(4))
    et = _unit([[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0.98, 0.2, 0]])
    beads = [Bead((0,), (0,)), Bead((1,), ()), Bead((2,), (1,)), Bead((3,), (2,)), Bead((), (3,))]
    out = link_moved(beads, es, et, 0.85)
    assert [(b.src, b.tgt) for b in out] == [((0,), (0,)), ((1,), (3,)), ((2,), (1,)), ((3,), (2,))]
    assert 0.85 <= out[1].score <= 1.0
    assert link_moved(beads, es, et, None) == beads


def test_unlike_or_adjacent_null_beads_stay():
    es = _unit(np.eye(3))
    et = _unit([[1, 0, 0], [0, 0.5, 0.86], [0, 0, 1]])
    far = [Bead((0,), (0,)), Bead((1,), ()), Bead((2,), (2,)), Bead((), (1,))]
    assert link_moved(far, es, et, 0.85) == far  # cosine 0.5: another sentence
    et2 = _unit([[1, 0, 0], [0, 1, 0.1], [0, 0, 1]])
    near = [Bead((0,), (0,)), Bead((1,), ()), Bead((), (1,)), Bead((2,), (2,))]
    assert link_moved(near, es, et2, 0.85) == near  # one gap: the aligner weighed them as a 1-1 already


def test_a_moved_quote_paired_with_the_background_in_its_slot_is_relinked():
    # source 0 lead, 1 quote, 2 detail, 3 background; the English: lead, detail, quote (moved to the end), no background
    es = _unit(np.eye(4))
    et = _unit([[1, 0, 0, 0], [0, 0, 1, 0], [0, 0.97, 0, 0.25]])
    beads = [Bead((0,), (0,)), Bead((1,), ()), Bead((2,), (1,)), Bead((3,), (2,))]  # quote left out, background "paired"
    out = link_moved(beads, es, et, 0.85)
    assert [(b.src, b.tgt) for b in out] == [((0,), (0,)), ((1,), (2,)), ((2,), (1,)), ((3,), ())]
    # a 1-1 bead that renders its target as well as the moved sentence would keeps it
    et2 = _unit([[1, 0, 0, 0], [0, 0, 1, 0], [0, 0.7, 0, 0.7]])
    assert link_moved(beads, es, et2, 0.6) == beads


# ---------------------------------------------------------------------------------------------- swapped sentences
from align.reorder import fold_tags, unswap  # noqa: E402


def test_two_swapped_sentences_merged_into_one_bead_become_crossing_beads():
    # the English swapped source 1 and 2: the monotone aligner merged them into one 2-2 bead
    es = _unit(np.eye(4))
    et = _unit([[1, 0, 0, 0], [0, 0.1, 1, 0], [0, 1, 0.1, 0], [0, 0, 0, 1]])
    beads = [Bead((0,), (0,), 0.99), Bead((1, 2), (1, 2), 0.99), Bead((3,), (3,), 0.99)]
    out = unswap(beads, es, et)
    assert [(b.src, b.tgt) for b in out] == [((0,), (0,)), ((1,), (2,)), ((2,), (1,)), ((3,), (3,))]
    assert unswap(beads, es, et, None) == beads


def test_a_swap_with_a_left_over_sentence_keeps_it_as_a_null_bead():
    # source 0 1 ↔ target 0 1 2: target 1 renders source 0, target 0 source 1, target 2 is the English desk's own
    es = _unit(np.eye(3))
    et = _unit([[0, 1, 0.1], [1, 0.1, 0], [0.3, 0.2, 0.93]])
    out = unswap([Bead((0, 1), (0, 1, 2), 0.99)], es, et)
    assert sorted((b.src, b.tgt) for b in out) == [((), (2,)), ((0,), (1,)), ((1,), (0,))]


def test_a_bead_whose_sentences_are_split_differently_stays():
    # «A и B. C.» ↔ "A. B and C.": no crossed pair renders the other, the 2-2 bead is right
    es = _unit([[1, 1, 0], [0, 0, 1]])
    et = _unit([[1, 0, 0], [0, 1, 1]])
    beads = [Bead((0, 1), (0, 1), 0.99)]
    assert unswap(beads, es, et) == beads


def test_a_moved_target_sentence_paired_with_an_unlike_source_is_relinked():
    # the English moved source 3's rendering up to target 1; the aligner paired target 1 with nothing and source 3
    # with target 3, the English desk's own background sentence
    es = _unit(np.eye(4))
    et = _unit([[1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0], [0, 0.3, 0, 0.3]])
    beads = [Bead((0,), (0,)), Bead((1,), ()), Bead((), (1,)), Bead((2,), (2,)), Bead((3,), (3,))]
    out = link_moved(beads, es, et, 0.85)
    assert ((3,), (1,)) in [(b.src, b.tgt) for b in out]
    assert ((), (3,)) in [(b.src, b.tgt) for b in out]


# ---------------------------------------------------------------------------------------------- attribution tags
RU = ["Завод в Твери начнет выпуск электробусов в 2027 году.",
      "Об этом сообщили в пресс-службе правительства области.",
      "Мощность предприятия составит 300 машин в год."]
EN_FOLDED = ["A plant in Tver will start making electric buses in 2027, the regional government's press service said.",
             "The plant will be able to produce 300 vehicles a year."]
EN_DROPPED = ["A plant in Tver will start making electric buses in 2027.",
              "The plant will be able to produce 300 vehicles a year."]


def test_a_tag_sentence_joins_the_bead_whose_rendering_names_its_source():
    es, et = _unit(np.eye(3)), _unit([[1, 0.2, 0], [0, 0, 1]])
    beads = [Bead((0,), (0,)), Bead((1,), ()), Bead((2,), (1,))]
    out = fold_tags(beads, RU, EN_FOLDED, es, et, "ru", "en")
    assert [(b.src, b.tgt) for b in out] == [((0, 1), (0,)), ((2,), (1,))]


def test_a_tag_sentence_the_rendering_drops_is_a_null_bead():
    es, et = _unit(np.eye(3)), _unit([[1, 0.2, 0], [0, 0, 1]])
    beads = [Bead((0, 1), (0,)), Bead((2,), (1,))]
    out = fold_tags(beads, RU, EN_DROPPED, es, et, "ru", "en")
    assert [(b.src, b.tgt) for b in out] == [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    # and a tag that is rendered stays in its bead
    assert fold_tags(beads, RU, EN_FOLDED, es, et, "ru", "en") == beads


def test_a_tag_paired_with_an_unlike_sentence_leaves_it_unpaired():
    es = _unit(np.eye(3))
    et = _unit([[1, 0.2, 0], [0, 0.3, 0.3], [0, 0, 1]])
    en = [EN_FOLDED[0], "The region has several bus plants.", EN_FOLDED[1]]
    beads = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2,))]
    out = fold_tags(beads, RU, en, es, et, "ru", "en")
    assert [(b.src, b.tgt) for b in out] == [((0, 1), (0,)), ((), (1,)), ((2,), (2,))]
