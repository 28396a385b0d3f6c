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
