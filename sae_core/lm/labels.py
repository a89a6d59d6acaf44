"""Per-character labels of Python source, from `tokenize` and character classes.

Each character gets one *kind* (the tokenize token it belongs to, or the whitespace between tokens) and any
number of *flags* (character classes and context). Kinds partition the characters, so a unit's shares of
kinds sum to 1 and its purity (monosemanticity.py) is a fair number; flags overlap and are reported beside.

A docstring here is a string token that makes up a whole statement at the start of a module or of a block
(after `def …:`, `class …:` and the like): the bare-string statements docstrings are written as.
Text that `tokenize` cannot finish (an unclosed bracket or string, a snippet cut mid-line) keeps the labels
of the tokens read before the error; the rest falls back to its character class (whitespace or "other").

Shapes: text of n characters → kinds [n] int8 (an index into KINDS), flags [n, len(FLAGS)] bool.
"""

from __future__ import annotations

import io
import keyword
import token
import tokenize
from dataclasses import dataclass

import numpy as np

KINDS = ("string", "docstring", "comment", "number", "identifier", "keyword", "operator", "indentation",
         "whitespace", "newline", "other")
FLAGS = ("inside_brackets", "uppercase", "digit", "after_newline")
LABELS = KINDS + FLAGS  # every label a unit can be searched by
KIND = {name: i for i, name in enumerate(KINDS)}
OPEN, CLOSE = "([{", ")]}"
# Python 3.12 splits f-strings into these; 3.11 keeps an f-string one STRING token.
STRING_TYPES = {token.STRING} | {getattr(token, n) for n in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
                                 if hasattr(token, n)}


@dataclass(frozen=True)
class CharLabels:
    """Labels of one text: `kinds` [n] int8 into KINDS, `flags` [n, len(FLAGS)] bool."""

    kinds: np.ndarray
    flags: np.ndarray

    def __len__(self) -> int:
        return len(self.kinds)

    def names(self, i: int) -> list[str]:
        """Every label of character i, its kind first."""
        return [KINDS[self.kinds[i]]] + [f for f, on in zip(FLAGS, self.flags[i]) if on]

    def matrix(self) -> np.ndarray:
        """One boolean column per label in LABELS: kinds one-hot, then flags. [n, len(LABELS)]"""
        onehot = np.zeros((len(self.kinds), len(KINDS)), dtype=bool)
        onehot[np.arange(len(self.kinds)), self.kinds] = True
        return np.concatenate([onehot, self.flags], axis=1)


def _line_starts(text: str) -> list[int]:
    """Offset of each line's first character (tokenize's rows are 1-based lines split on \\n)."""
    starts = [0]
    for i, c in enumerate(text):
        if c == "\n":
            starts.append(i + 1)
    return starts


def _tokens(text: str) -> list[tokenize.TokenInfo]:
    """The tokens tokenize yields before it finishes or fails."""
    out: list[tokenize.TokenInfo] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            out.append(tok)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return out


def _is_docstring(tokens: list[tokenize.TokenInfo], i: int) -> bool:
    """A STRING token alone in its statement, which opens the module or an indented block."""
    skip = {tokenize.NL, tokenize.COMMENT, tokenize.ENCODING}
    j = i - 1
    while j >= 0 and tokens[j].type in skip:
        j -= 1
    opens_statement = j < 0 or tokens[j].type in (tokenize.INDENT, tokenize.NEWLINE, tokenize.DEDENT)
    if not opens_statement:
        return False
    first_in_block = j < 0 or tokens[j].type == tokenize.INDENT
    if j >= 0 and tokens[j].type == tokenize.NEWLINE:  # a block on one line: `def f(): "doc"` is rare; module start
        first_in_block = all(t.type in skip | {tokenize.NEWLINE} for t in tokens[:j])
    k = i + 1
    while k < len(tokens) and tokens[k].type == tokenize.COMMENT:
        k += 1
    ends_statement = k >= len(tokens) or tokens[k].type in (tokenize.NEWLINE, tokenize.ENDMARKER)
    return first_in_block and ends_statement


def _kind_of(tok: tokenize.TokenInfo, tokens, i) -> int | None:
    if tok.type in STRING_TYPES:
        return KIND["docstring"] if tok.type == token.STRING and _is_docstring(tokens, i) else KIND["string"]
    if tok.type == tokenize.COMMENT:
        return KIND["comment"]
    if tok.type == tokenize.NUMBER:
        return KIND["number"]
    if tok.type == tokenize.NAME:
        return KIND["keyword"] if keyword.iskeyword(tok.string) else KIND["identifier"]
    if tok.type == tokenize.OP:
        return KIND["operator"]
    return None  # NEWLINE, NL, INDENT, DEDENT, ENDMARKER: decided by the character class below


def char_labels(text: str) -> CharLabels:
    """Every character's kind and flags (see the module's docstring)."""
    n = len(text)
    kinds = np.full(n, KIND["other"], dtype=np.int8)
    chars = np.array(list(text), dtype="<U1") if n else np.zeros(0, dtype="<U1")
    # Whitespace between tokens: indentation at the start of a line, else plain whitespace; newlines their own.
    at_line_start = True
    for i, c in enumerate(text):
        if c == "\n":
            kinds[i] = KIND["newline"]
            at_line_start = True
        elif c in " \t\f\r":
            kinds[i] = KIND["indentation"] if at_line_start else KIND["whitespace"]
        else:
            at_line_start = False
    starts = _line_starts(text)
    tokens = _tokens(text)
    depth = np.zeros(n + 1, dtype=np.int32)  # +1 where a bracket opens, −1 after it closes; cumsum is the depth
    for i, tok in enumerate(tokens):
        if tok.start[0] > len(starts) or tok.end[0] > len(starts):
            continue
        a = starts[tok.start[0] - 1] + tok.start[1]
        b = starts[tok.end[0] - 1] + tok.end[1]
        kind = _kind_of(tok, tokens, i)
        if kind is not None and a < b:
            kinds[a:min(b, n)] = kind
        if tok.type == tokenize.OP and tok.string in OPEN:
            depth[b] += 1  # the characters after the opening bracket are inside it
        elif tok.type == tokenize.OP and tok.string in CLOSE:
            depth[a] -= 1  # the closing bracket itself is outside
    flags = np.zeros((n, len(FLAGS)), dtype=bool)
    if n:
        flags[:, 0] = np.cumsum(depth[:n]) > 0
        flags[:, 1] = np.char.isupper(chars)
        flags[:, 2] = np.char.isdigit(chars)
        flags[1:, 3] = chars[:-1] == "\n"
    return CharLabels(kinds, flags)
