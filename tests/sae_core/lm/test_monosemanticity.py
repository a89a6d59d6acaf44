import numpy as np

from sae_core.lm.labels import KINDS, LABELS, char_labels
from sae_core.lm.monosemanticity import TopActivations, compare, purity_from_top, unit_purity

TEXT = 'name = "a string here"  # and a comment\nvalue = 1234 + "another string"\n' * 20


def test_a_unit_firing_only_inside_strings_has_purity_one_for_string():
    labels = char_labels(TEXT)
    m = labels.matrix()
    is_string = m[:, LABELS.index("string")]
    rng = np.random.default_rng(0)
    string_unit = np.where(is_string, rng.uniform(1, 2, len(TEXT)), 0.0)  # fires inside strings only
    everywhere = rng.uniform(0, 1, len(TEXT))  # fires on everything alike
    acts = np.stack([string_unit, everywhere], axis=1)
    p = unit_purity(acts, m, top_fraction=0.1)
    assert p.best_label(0) == "string" and p.purity[0] == 1.0
    assert p.shares[0, LABELS.index("string")] == 1.0
    assert p.purity[1] < 0.9
    assert p.support[0] == round(0.1 * len(TEXT))


def test_top_activations_streamed_in_chunks_equal_all_at_once():
    rng = np.random.default_rng(1)
    acts = rng.normal(size=(500, 7))
    whole = TopActivations(7, 20)
    whole.update(acts)
    chunked = TopActivations(7, 20)
    for i in range(0, 500, 64):
        chunked.update(acts[i:i + 64])
    assert np.array_equal(np.sort(whole.positions.numpy(), axis=0), np.sort(chunked.positions.numpy(), axis=0))
    assert (whole.values.numpy()[np.isfinite(whole.values.numpy())] > 0).all()  # only positive activations count


def test_compare_gives_side_by_side_distributions_and_the_headline_ratio():
    labels = char_labels(TEXT).matrix()
    n = len(TEXT)
    kinds = labels[:, :len(KINDS)]
    pure = np.stack([kinds[:, KINDS.index(k)].astype(float) for k in ("string", "comment", "number")], axis=1)
    noise = np.random.default_rng(2).uniform(0, 1, size=(n, 3))
    neurons = unit_purity(np.concatenate([pure[:, :1], noise], axis=1), labels, 0.05)  # 1 of 4 pure
    latents = unit_purity(np.concatenate([pure, noise[:, :1]], axis=1), labels, 0.05)  # 3 of 4 pure
    c = compare(neurons, latents)
    assert c["neurons"]["pure_share"] == 0.25 and c["latents"]["pure_share"] == 0.75
    assert abs(c["ratio"] - 3.0) < 1e-12
    assert sum(c["histogram"]["latents"]) == 4 and len(c["edges"]) == len(c["histogram"]["neurons"]) + 1
    assert compare(purity_from_top(TopActivations(2, 3), labels), latents)["ratio"] is None  # no pure neuron
