"""Page state ⇄ URL query parameters, parsed strictly (TensorFlow Playground's state.ts is the model).

A page's state is a frozen dataclass whose fields are declared with `url_field(param, kind, default)`.
`to_query` writes every field; `from_query` reads them back, and a field that is malformed, out of range
or not one of its choices is reported in plain words and replaced by its default, never trusted. A
state class may define `checked(self) -> (state, problems)` for rules that tie fields together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any, Callable, Protocol, TypeVar

S = TypeVar("S")


class FieldKind(Protocol):
    def parse(self, text: str, what: str) -> Any: ...

    def format(self, value: Any) -> str: ...


def shown(text: str, limit: int = 40) -> str:
    """A URL's text quoted in a message, cut short: a tampered link can carry megabytes."""
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


def parse_number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what} {shown(text)} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite")
    return value


def format_number(value: float) -> str:
    """`value` as the URL shows it: short (`:g`) where that reads back as the same number, else in full, so a
    link's 0.1234567 is not rewritten as 0.123457 (another state) when the page writes its URL."""
    short = f"{value:g}"
    return short if float(short) == value else repr(float(value))


@dataclass(frozen=True)
class Choice:
    options: tuple[str, ...]

    def parse(self, text: str, what: str) -> str:
        if text not in self.options:
            raise ValueError(f"{what} must be one of {', '.join(self.options)}")
        return text

    def format(self, value: str) -> str:
        return value


@dataclass(frozen=True)
class Grid:
    """One of a fixed set of numbers (a select slider's positions)."""

    values: tuple[float, ...]
    integer: bool = False

    def parse(self, text: str, what: str) -> float:
        value = parse_number(text, what)
        for v in self.values:
            if abs(v - value) <= 1e-9 * max(1.0, abs(v)):
                return int(v) if self.integer else v
        raise ValueError(f"{what} must be one of {', '.join(f'{v:g}' for v in self.values)}")

    def format(self, value: float) -> str:
        return format_number(value)


@dataclass(frozen=True)
class Integer:
    lo: int
    hi: int

    def parse(self, text: str, what: str) -> int:
        value = parse_number(text, what)
        if value != int(value):
            raise ValueError(f"{what} must be a whole number")
        if not self.lo <= value <= self.hi:
            raise ValueError(f"{what} must lie in [{self.lo}, {self.hi}]")
        return int(value)

    def format(self, value: int) -> str:
        return str(int(value))


@dataclass(frozen=True)
class Number:
    lo: float
    hi: float

    def parse(self, text: str, what: str) -> float:
        value = parse_number(text, what)
        if not self.lo <= value <= self.hi:
            raise ValueError(f"{what} must lie in [{self.lo:g}, {self.hi:g}]")
        return value

    def format(self, value: float) -> str:
        return format_number(value)


def nearest_on_grid(value: float, lo: float, hi: float, step: float) -> float:
    """The slider position nearest `value`: clamped into [lo, hi], then onto the grid lo + k·step."""
    clamped = min(max(float(value), lo), hi)
    return round(lo + round((clamped - lo) / step) * step, 10) + 0.0  # + 0.0: never "-0" in a URL


def grid(lo: float, hi: float, step: float) -> tuple[float, ...]:
    """Every position of a slider, lo, lo + step, …, hi, as `nearest_on_grid` gives them."""
    return tuple(round(lo + k * step, 10) + 0.0 for k in range(int(round((hi - lo) / step)) + 1))


def on_grid(value: float, lo: float, hi: float, step: float, what: str) -> float:
    """`value` if it lies in [lo, hi] on the grid lo + k·step, canonicalised to that grid point; else ValueError."""
    if not lo - 1e-9 <= value <= hi + 1e-9:
        raise ValueError(f"{what} must lie in [{lo:g}, {hi:g}]")
    k = round((value - lo) / step)
    snapped = round(lo + k * step, 10)
    if abs(snapped - value) > 1e-6 * step:
        raise ValueError(f"{what} must be a multiple of {step:g}")
    return snapped + 0.0  # turns −0.0 into 0.0, so the URL never says "-0"


@dataclass(frozen=True)
class Stepped:
    """A number in [lo, hi] on the grid of a slider with this step."""

    lo: float
    hi: float
    step: float

    def parse(self, text: str, what: str) -> float:
        return on_grid(parse_number(text, what), self.lo, self.hi, self.step, what)

    def format(self, value: float) -> str:
        return format_number(value)


@dataclass(frozen=True)
class Flag:
    def parse(self, text: str, what: str) -> bool:
        if text not in ("0", "1"):
            raise ValueError(f"{what} must be 0 or 1")
        return text == "1"

    def format(self, value: bool) -> str:
        return "1" if value else "0"


@dataclass(frozen=True)
class Text:
    max_length: int = 500

    def parse(self, text: str, what: str) -> str:
        if len(text) > self.max_length:
            raise ValueError(f"{what} is longer than {self.max_length} characters")
        if any(ord(c) < 32 for c in text):
            raise ValueError(f"{what} contains control characters")
        return text

    def format(self, value: str) -> str:
        return value


@dataclass(frozen=True)
class OrAuto:
    """Another kind's value, or "auto" (None): let the code choose, e.g. the preset for the data."""

    kind: FieldKind

    def parse(self, text: str, what: str) -> Any:
        return None if text == "auto" else self.kind.parse(text, what)

    def format(self, value: Any) -> str:
        return "auto" if value is None else self.kind.format(value)


def url_field(param: str, kind: FieldKind, default: Any, label: str | None = None):
    """A dataclass field carried in the URL as `param`; `label` names it in messages."""
    return field(default=default, metadata={"url": (param, kind, label or param)})


def _url_fields(cls) -> list[tuple[str, str, FieldKind, str]]:
    return [(f.name, *f.metadata["url"]) for f in fields(cls) if "url" in f.metadata]


def to_query(state) -> dict[str, str]:
    """The state as URL query parameters (strings only), every field written."""
    return {param: kind.format(getattr(state, name)) for name, param, kind, _ in _url_fields(type(state))}


def from_query(cls: Callable[..., S], params: dict[str, str]) -> tuple[S, list[str]]:
    """Parse URL parameters into `cls`; returns the state and one message per rejected field.

    Missing fields take their defaults silently; malformed ones take their defaults with a message.
    Unknown parameters are ignored (they may belong to Streamlit or to a link's author).
    """
    state, problems = cls(), []
    for name, param, kind, label in _url_fields(cls):
        if param not in params:
            continue
        try:
            state = replace(state, **{name: kind.parse(str(params[param]), label)})
        except ValueError as err:
            problems.append(f"URL parameter '{param}' ignored: {err}.")
    return checked(state, problems)


def checked(state: S, problems: list[str] | None = None) -> tuple[S, list[str]]:
    """Apply the state's own cross-field rules, if it has any."""
    problems = list(problems or [])
    check = getattr(state, "checked", None)
    if check is not None:
        state, more = check()
        problems.extend(more)
    return state, problems
