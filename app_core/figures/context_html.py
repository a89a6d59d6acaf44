"""A unit's top contexts as HTML: each character shaded by the unit's activation there, as Neuronpedia shows them.

Text is always near-black (#111) on a background between white and SHADE, whose contrast with it stays above
WCAG's 4.5:1 at full strength, so shading never makes a character unreadable; the character the unit fired on is
underlined and outlined, and each line carries a text alternative naming it and the activation. Line breaks and
tabs show as ↵ and →, so a context stays one line. Where the unit is not positive a character is plain text; the
others are spans of one of LEVELS shade classes with the activation on hover (a pick sends and the browser lays out
far less than a styled span per character).
"""

from __future__ import annotations

import html

import numpy as np

TEXT = "#111111"
SHADE = (255, 170, 90)  # full activation: a light orange (contrast with TEXT 10:1)
VISIBLE = {"\n": "↵", "\t": "→", "\r": "␍"}


def shade(strength: float) -> str:
    """The background colour of a character at `strength` in [0, 1] of the strongest activation shown."""
    s = min(1.0, max(0.0, float(strength))) if np.isfinite(strength) else 0.0
    r, g, b = (round(255 + (c - 255) * s) for c in SHADE)
    return f"#{r:02x}{g:02x}{b:02x}"


def shown_char(c: str) -> str:
    if c in VISIBLE:
        return VISIBLE[c]
    return "·" if c == " " else (c if c.isprintable() else f"\\x{ord(c):02x}")


def plain(text: str) -> str:
    """A context's text as one readable line (for text alternatives and tests)."""
    return "".join(VISIBLE.get(c, c) if c.isprintable() or c in VISIBLE else " " for c in text)


LEVELS = 12  # shades a character can take: one CSS class each, so a character's markup is a class, not a style


def level(strength: float) -> int:
    """The shade class, 0 … LEVELS, of a character at `strength` in [0, 1] of the strongest activation shown."""
    s = min(1.0, max(0.0, float(strength))) if np.isfinite(strength) else 0.0
    return int(round(s * LEVELS))


def _line(c, top: float) -> str:
    """One context's characters: a run where the unit is not positive is plain text, each other character a span
    of its shade class with its activation on hover, the one it fired on outlined."""
    out, plain_run = [], []
    for j, ch in enumerate(c.text):
        a = float(c.acts[j])
        if a <= 0 and j != c.focus:
            plain_run.append(shown_char(ch))
            continue
        if plain_run:
            out.append(html.escape("".join(plain_run)))
            plain_run = []
        cls = f"s{level(a / top if top > 0 else 0)}" + (" f" if j == c.focus else "")
        out.append(f'<span class="{cls}" title="{a:.2f}">{html.escape(shown_char(ch))}</span>')
    if plain_run:
        out.append(html.escape("".join(plain_run)))
    return "".join(out)


def _style() -> str:
    shades = "".join(f".lm-ctx .s{i}{{background:{shade(i / LEVELS)}}}" for i in range(1, LEVELS + 1))
    return ("<style>.lm-ctx-list{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:0.92rem;line-height:1.7;"
            f"color:{TEXT};overflow-x:auto}}.lm-ctx{{white-space:pre;background:#fff}}{shades}"
            ".lm-ctx .f{outline:2px solid #111;text-decoration:underline}"
            ".lm-ctx-value{display:inline-block;min-width:3.6em;color:#333;background:#fff;margin-right:0.5em;"
            "font-variant-numeric:tabular-nums}</style>")


STYLE = _style()


def contexts_html(contexts, unit_name: str) -> str:
    """One line per context (sae_core.lm.explore.Context), strongest first; the scale is the strongest activation."""
    if not contexts:
        return f"<p>{html.escape(unit_name)} is not positive on any character of the browsed text.</p>"
    top = max(float(np.max(c.acts)) for c in contexts)
    lines = []
    for i, c in enumerate(contexts):
        label = (f"Context {i + 1}: activation {c.value:.2f} on {shown_char(c.text[c.focus])!r} in "
                 f"{plain(c.text)!r}")
        lines.append(f'<div class="lm-ctx" role="listitem" aria-label="{html.escape(label)}">'
                     f'<span class="lm-ctx-value">{c.value:.2f}</span>{_line(c, top)}</div>')
    return (f'{STYLE}<div class="lm-ctx-list" role="list" aria-label="Top contexts of {html.escape(unit_name)}, '
            f'strongest first">{"".join(lines)}</div>')
