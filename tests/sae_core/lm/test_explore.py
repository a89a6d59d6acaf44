import pytest

from sae_core.lm import explore
from sae_core.lm.labels import LABELS, char_labels
from sae_core.lm.monosemanticity import unit_purity
from sae_core.lm.sae import LMSAE

from .conftest import trained_sae

TEXTS = ["def f(x):\n    return 'abc' + x\n", "import os\nprint(os.sep)  # sep\n"]


def test_top_contexts_histogram_and_promoted_chars_for_a_neuron_and_a_latent(tiny_lm, tiny_acts):
    trainer = trained_sae(tiny_acts, "relu")
    sae = LMSAE(trainer.model.eval(), trainer.hp, {})
    for s in (None, sae):
        unit = int(explore.search_by_text(tiny_lm, TEXTS[0], s, k=1)[0][0]["unit"])
        contexts, note = explore.top_contexts(tiny_lm, unit, TEXTS, s, k=3, width=5)
        assert note is None and 1 <= len(contexts) <= 3
        top = contexts[0]
        assert top.text[top.focus] == TEXTS[top.source][top.position] and len(top.acts) == len(top.text)
        assert top.value == pytest.approx(float(top.acts[top.focus])) and top.value > 0
        hist = explore.activation_histogram(tiny_lm, unit, TEXTS, s, bins=5)
        assert len(hist["counts"]) == 5 and hist["chars"] == sum(map(len, TEXTS))
        promoted = explore.promoted_chars(tiny_lm, unit, s, k=4)
        assert len(promoted["promoted"]) == 4 and promoted["promoted"][0][1] >= promoted["suppressed"][0][1]


def test_search_by_label_ranks_by_share():
    text = TEXTS[0] * 10
    m = char_labels(text).matrix()
    acts = m[:, [LABELS.index("string"), LABELS.index("keyword")]].astype(float)
    p = unit_purity(acts, m, top_fraction=0.1)
    assert explore.search_by_label(p, "string")[0]["unit"] == 0
    assert explore.search_by_label(p, "keyword")[0]["unit"] == 1
    with pytest.raises(ValueError):
        explore.search_by_label(p, "nonsense")
