import numpy as np
import pytest

from sae_core.lm import text as text_io


def test_activations_are_float32_one_row_per_character(tiny_lm):
    acts = tiny_lm.mlp_activations("def f(x):\n    return x\n")
    assert acts.shape == (23, tiny_lm.d_mlp) and acts.dtype == np.float32
    assert tiny_lm.mlp_activations("").shape == (0, tiny_lm.d_mlp)


@pytest.mark.parametrize("length", [10, 16, 57])  # within, at and past the 16-byte context (sliding windows)
def test_changing_a_later_character_never_changes_an_earlier_row(tiny_lm, length):
    rng = np.random.default_rng(length)
    base = "".join(chr(c) for c in rng.integers(32, 127, size=length))
    acts = tiny_lm.mlp_activations(base)
    for cut in (1, length // 2, length - 1):
        changed = base[:cut] + ("#" if base[cut] != "#" else "@") + base[cut + 1:]
        other = tiny_lm.mlp_activations(changed)
        assert np.array_equal(acts[:cut], other[:cut])
        assert not np.array_equal(acts[cut], other[cut])  # the changed character itself is seen


def test_a_prefix_gives_the_same_rows_as_the_whole_text(tiny_lm):
    text = "import os\nprint(os.getcwd())\n" * 3
    whole = tiny_lm.mlp_activations(text)
    np.testing.assert_allclose(tiny_lm.mlp_activations(text[:40]), whole[:40], atol=1e-5)


def test_non_ascii_characters_take_the_row_of_their_last_byte(tiny_lm):
    text = "x = 'é中'"
    acts = tiny_lm.mlp_activations(text)
    assert acts.shape[0] == len(text)
    data, last = text_io.encode(text)
    full = tiny_lm.byte_outputs(data).numpy()
    np.testing.assert_allclose(acts, full[last], atol=1e-6)
    assert list(last[-3:]) == [6, 9, 10]  # é is 2 bytes, 中 3 bytes
    assert tiny_lm.mlp_activations("a\ud800b").shape[0] == 3  # a lone surrogate becomes U+FFFD, one for one


def test_text_over_the_cap_is_refused_and_clip_says_so(tiny_lm):
    long = "x" * (text_io.MAX_ANALYSED_CHARS + 1)
    with pytest.raises(ValueError, match="at most"):
        tiny_lm.mlp_activations(long)
    clipped, note = text_io.clip_text(long)
    assert len(clipped) == text_io.MAX_ANALYSED_CHARS and "only the first" in note
    assert text_io.clip_text("short") == ("short", None)
