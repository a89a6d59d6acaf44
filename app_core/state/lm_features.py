"""The language-model page's state: which unit is inspected, how units are searched, and how the model is steered."""

from __future__ import annotations

from dataclasses import dataclass

from app_core.lm_own_sae import ARCHS
from app_core.state.codec import Choice, Grid, Integer, OrAuto, Stepped, Text, url_field
from sae_core.lm.labels import LABELS
from sae_core.models import SPECS

_K, _L1 = SPECS["topk"].knobs[0], SPECS["relu"].knobs[0]

UNIT_KINDS = ("latent", "neuron")
EXAMPLE_MAX, PROMPT_MAX = 300, 200  # characters of example text and of prompt a link carries
STEER_LO, STEER_HI, STEER_STEP = -4.0, 20.0, 0.5  # multiples of the latent's largest activation seen


@dataclass(frozen=True)
class LMFeaturesState:
    kind: str = url_field("kind", Choice(UNIT_KINDS), "latent", label="unit kind")
    # None ("auto"): the unit whose top characters most often carry `label`, so a first visit shows a clear one
    unit: int | None = url_field("unit", OrAuto(Integer(0, 1_000_000)), None)
    label: str = url_field("label", Choice(LABELS), "string", label="label searched")
    example: str = url_field("example", Text(EXAMPLE_MAX), "x = 'a string'  # a comment", label="example text")
    steer: float = url_field("steer", Stepped(STEER_LO, STEER_HI, STEER_STEP), 8.0, label="steering strength")
    prompt: str = url_field("prompt", Text(PROMPT_MAX), "def ", label="prompt")
    seed: int = url_field("seed", Integer(0, 9_999), 0)
    own_arch: str = url_field("own_arch", Choice(ARCHS), "topk", label="your SAE's architecture")
    own_k: int = url_field("own_k", Grid(_K.values, integer=True), _K.default("dense"), label="your SAE's k")
    own_l1: float = url_field("own_l1", Grid(_L1.values), _L1.default("dense"), label="your SAE's L1 coefficient")
