from sae_core.lm.labels import FLAGS, KINDS, LABELS, char_labels

SNIPPET = '''"""Doc."""
import os  # note
def f(a, b=[10]):
    """Inner."""
    return "s" + A
'''



def test_kinds_against_a_hand_labelled_snippet():
    labels = char_labels(SNIPPET)
    got = [KINDS[k] for k in labels.kinds]
    expected = (["docstring"] * 10 + ["newline"]
                + ["keyword"] * 6 + ["whitespace"] + ["identifier"] * 2 + ["whitespace"] * 2 + ["comment"] * 6
                + ["newline"]
                + ["keyword"] * 3 + ["whitespace"] + ["identifier"] + ["operator"] + ["identifier"] + ["operator"]
                + ["whitespace"] + ["identifier"] + ["operator"] * 2 + ["number"] * 2 + ["operator"] * 3
                + ["newline"]
                + ["indentation"] * 4 + ["docstring"] * 12 + ["newline"]
                + ["indentation"] * 4 + ["keyword"] * 6 + ["whitespace"] + ["string"] * 3 + ["whitespace"]
                + ["operator"] + ["whitespace"] + ["identifier"] + ["newline"])
    assert len(expected) == len(SNIPPET)
    assert got == expected


def test_flags_against_a_hand_labelled_snippet():
    text = 'x = f(Ab, [1])\ny'
    labels = char_labels(text)
    inside = [labels.flags[i, FLAGS.index("inside_brackets")] for i in range(len(text))]
    expected_inside = {i for i, _ in enumerate(text) if 6 <= i <= 12}  # after "(" up to "]" inclusive
    assert {i for i, v in enumerate(inside) if v} == expected_inside
    assert [i for i in range(len(text)) if labels.flags[i, FLAGS.index("uppercase")]] == [text.index("A")]
    assert [i for i in range(len(text)) if labels.flags[i, FLAGS.index("digit")]] == [text.index("1")]
    assert [i for i in range(len(text)) if labels.flags[i, FLAGS.index("after_newline")]] == [len(text) - 1]


def test_a_string_statement_later_in_a_block_is_a_string_and_matrix_is_one_hot():
    text = 'def f():\n    x = 1\n    "not a docstring"\n    y = "s"\n'
    labels = char_labels(text)
    i = text.index('"not')
    assert KINDS[labels.kinds[i]] == "string"
    m = labels.matrix()
    assert m.shape == (len(text), len(LABELS))
    assert (m[:, :len(KINDS)].sum(axis=1) == 1).all()


def test_text_tokenize_cannot_finish_keeps_what_it_read():
    text = 'x = (1,\n  "open'
    labels = char_labels(text)
    assert KINDS[labels.kinds[0]] == "identifier" and KINDS[labels.kinds[5]] == "number"
    assert len(labels) == len(text)
    assert len(char_labels("")) == 0
    assert [KINDS[k] for k in char_labels("x\u00e9\u4e2d = 1").kinds][:3] == ["identifier"] * 3
