"""Every page's named scenes, in the order a talk would take them.

A scene is a page state, in its URL form, and a question to put to the room before showing the answer. Scenes are
deterministic: every run they start is seeded by the state. One that shows a trained model names how many steps
it starts from (`warm_steps`); the page resumes a run trained that far once per server (`RunCache`), so the room
never waits for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_KEY = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Scene:
    slug: str  # unique across the app: a talk's URL lists these
    page: str  # the page's URL path, as app.py's navigation names it ("" for the home page)
    title: str
    prompt: str  # the question for the room, asked before the figure answers it
    reveal: str  # the answer, said after
    query: dict[str, str] = field(default_factory=dict)  # the page state's URL form (fields left out: defaults)
    warm_steps: int = 0  # start from a run already trained this many steps
    # The slide: keys of the elements the scene is about (the first is the figure F enlarges). In presenter mode
    # the page's other top-level blocks step aside, and `hides` leaves out elements inside the shown ones, so the
    # scene fits a 1920×1080 screen. Empty `shows`: the whole page.
    shows: tuple[str, ...] = ()
    hides: tuple[str, ...] = ()

    def __post_init__(self):
        for key in self.shows + self.hides:  # they become CSS class names
            if not _KEY.fullmatch(key):
                raise ValueError(f"scene {self.slug}: {key!r} is not an element key")


SCENES: tuple[Scene, ...] = (
    Scene("start", "", "SAE Playground", "What would you need to read a network's mind?",
          "A dictionary of the features it uses: a sparse autoencoder learns one.", shows=("home_path",)),
    # --- an autoencoder ---------------------------------------------------------------------------
    Scene("ae-squeeze", "autoencoders", "Eight numbers per digit",
          "A 784-pixel digit squeezed through 8 numbers. Press Space to train: which details survive?",
          "The overall stroke survives; fine detail blurs. Read L0: nearly all 8 numbers are non-zero for every "
          "digit, a dense code.",
          {"width": "8", "l1": "1"}, shows=("ae_recon_ae", "ae_recon_relu", "ae_play", "ae_probes"),
          hides=("ae_code_ae", "ae_code_relu", "ae_atoms_ae", "ae_atoms_relu")),
    Scene("ae-sparse", "autoencoders", "Many numbers, mostly zero",
          "The sparse model has 256 numbers per digit and a strong L1 penalty (λ = 3): how many are non-zero?",
          "A small fraction: read L0 above the pictures. Each decoder atom looks like a piece of a stroke.",
          {"width": "8", "l1": "3"}, shows=("ae_atoms_relu", "ae_recon_ae", "ae_recon_relu", "ae_play", "ae_probes"),
          hides=("ae_code_ae", "ae_code_relu")),
    # --- sparsity and the L1 norm --------------------------------------------------------------------
    Scene("norms-vector", "norms", "L0, L1 and L2 of one vector",
          "Shrink the small entries toward zero: which norm barely changes, and which drops by whole units?",
          "L0 counts non-zeros, so it jumps only when an entry hits exactly zero; L1 and L2 move smoothly.",
          {"x": "2,-1.5,0.3,0,-0.2,1"}, shows=("nm_vector",)),
    Scene("norms-corner", "norms", "The L1 ball's corners",
          "The loss's contours meet the L1 ball: on an edge, or on a corner where one weight is exactly 0?",
          "On a corner: the L1 ball is pointed, so the best point inside it usually has a zero coordinate.",
          {"w1": "1.8", "w2": "0.4", "angle": "120", "elong": "2.5", "t": "1"}, shows=("nm_balls_chart",),
          hides=("nm_angle", "nm_elongation")),
    Scene("norms-shrink", "norms", "Soft thresholding",
          "Penalise with λ = 1: which entries come out exactly zero, and what happens to the large ones?",
          "Entries smaller than λ become 0; the rest shrink by λ each. Shrinkage is the price of L1.",
          {"lam": "1", "shrink": "soft"}, shows=("nm_curve_chart", "nm_lam")),
    # --- KL and JS ------------------------------------------------------------------------------------
    Scene("kl-identical", "kl_divergence", "Identical distributions",
          "P and Q are the same curve. What are KL(P‖Q), KL(Q‖P) and JS?",
          "All three are 0: a divergence is 0 exactly when the distributions match.",
          {"p": "gaussian,0,1", "q": "gaussian,0,1"}, shows=("kl_canvas", "kl_readout")),
    Scene("kl-overlap", "kl_divergence", "Overlap lowers KL and JS",
          "Q sits 3 widths to the right of P. Slide it across P: what do KL and JS do as the overlap grows?",
          "Both fall, and reach 0 when the curves coincide: the more P and Q overlap, the less they diverge. "
          "Pulled apart, KL grows without bound while JS levels off at its ceiling, ln 2.",
          {"p": "gaussian,0,1", "q": "gaussian,3,1"}, shows=("kl_sweep_chart", "kl_sep", "kl_readout")),
    Scene("kl-disjoint", "kl_divergence", "Disjoint supports",
          "P and Q never overlap. How big is KL? And JS?",
          "KL is infinite both ways (log of p over 0); JS stops at its ceiling, ln 2 ≈ 0.693 nats.",
          {"p": "uniform,-3,0.5", "q": "uniform,3,0.5"}, shows=("kl_canvas", "kl_readout")),
    Scene("kl-asymmetry", "kl_divergence", "Wide against narrow",
          "P is narrow, Q is wide, same centre. Is KL(P‖Q) the same as KL(Q‖P)?",
          "No: KL(Q‖P) is larger, because Q puts mass where narrow P has almost none. KL is not symmetric.",
          {"p": "gaussian,0,0.5", "q": "gaussian,0,2"}, shows=("kl_canvas", "kl_readout")),
    # --- KL as a loss ---------------------------------------------------------------------------------
    Scene("kl-forward", "kl_loss", "Forward KL on two modes",
          "One Gaussian fitted to two bumps by minimising KL(P‖Q): where will it end up?",
          "Across both: forward KL punishes Q for missing any of P's mass, so it covers both modes.",
          {"dir": "forward", "sep": "6", "mu0": "1", "sigma0": "1"}, shows=("kll_densities", "kll_play")),
    Scene("kl-reverse", "kl_loss", "Reverse KL on two modes",
          "Same bumps, same start, now minimising KL(Q‖P). Where does it end up?",
          "On one bump: reverse KL punishes Q for mass where P has none, so it picks a mode (as VAEs do).",
          {"dir": "reverse", "sep": "6", "mu0": "1", "sigma0": "1"}, shows=("kll_densities", "kll_play")),
    # --- superposition --------------------------------------------------------------------------------
    Scene("sp-dense", "superposition", "Dense features",
          "Five features, two dimensions, every feature always on. How many features get a direction?",
          "Two: with dense features, interference costs too much, so the model keeps the two most important.",
          {"p": "1", "decay": "0.9", "features": "5"}, shows=("sp_figure", "sp_play"), hides=("sp_norms", "sp_loss")),
    Scene("sp-pentagon", "superposition", "Sparse enough for a pentagon",
          "Now each feature is on only 1% of the time. How many of the five get a direction?",
          "All five, as a pentagon: features rarely co-occur, so the model packs more of them than dimensions.",
          {"p": "0.01", "decay": "1", "features": "5"}, shows=("sp_figure", "sp_play"),
          hides=("sp_norms", "sp_loss")),
    # --- the SAE trade-off ----------------------------------------------------------------------------
    Scene("so-balanced", "sparsity", "A balanced L1",
          "An SAE on toy data whose true features we know: will its latents find them?",
          "Mostly: MMCS, the match to the true features, climbs toward 1 as L0 settles.",
          {"data": "toy", "arch": "relu", "latents": "64", "l1": "1"}, warm_steps=1500,
          shows=("so_curves", "so_play"), hides=("so_cos", "so_bars", "so_probe")),
    Scene("so-too-much-l1", "sparsity", "Too much L1",
          "Same SAE, L1 raised from 1 to 5. What happens to dead latents, and to the size of the activations?",
          "Latents die (Dead latents rises), L0 falls, and explained variance and MMCS drop: the survivors' "
          "activations shrink too, because L1 penalises their size, not only their count.",
          {"data": "toy", "arch": "relu", "latents": "64", "l1": "5"}, warm_steps=1500,
          shows=("so_curves", "so_play", "so_l1"), hides=("so_cos", "so_bars", "so_probe")),
    Scene("so-kl", "sparsity", "KL sparsity",
          "Ask for a firing rate ρ = 0.05 with a KL penalty. Will any latent be exactly zero?",
          "No: sigmoid units are never exactly zero, so L0 is the whole dictionary; only average rates fall.",
          {"data": "toy", "arch": "kl", "latents": "64"}, warm_steps=1500,
          shows=("so_penalty", "so_play"), hides=("so_curves", "so_plane", "so_cos", "so_bars", "so_probe")),
    # --- training -------------------------------------------------------------------------------------
    Scene("tr-topk", "train", "TopK fixes L0 directly",
          "A TopK SAE with k = 8: what is its L0 after the very first step?",
          "At most 8, from the first step to the last: k caps it (a kept latent whose value is not above 0 counts "
          "as silent). Sparsity is set, not penalised, so no L1 shrinkage.",
          {"source": "toy", "arch": "topk", "latents": "128", "k": "8", "epochs": "3"},
          shows=("tr_curves", "tr_start")),
    Scene("tr-relu", "train", "An L1 SAE on the same data",
          "The same data with an L1 penalty instead: does L0 start low?",
          "No: it starts near half the dictionary and falls as the penalty bites.",
          {"source": "toy", "arch": "relu", "latents": "128", "epochs": "3"}, shows=("tr_curves", "tr_start")),
    # --- features and the frontier --------------------------------------------------------------------
    Scene("fx-densities", "features", "How often each latent fires",
          "Of a trained SAE's latents, how many fire on fewer than one input in a thousand?",
          "Read it off the density histogram: the left tail, and the dead latents at −∞.",
          {"sort": "density"}, shows=("fx_density", "fx_quick")),
    Scene("fr-toy", "frontier", "The frontier on toy data",
          "Which family gets the lowest error at the same L0: L1, TopK, JumpReLU or dictionary learning?",
          "The curve lowest and furthest left wins at that sparsity; read the crossing points.",
          {"data": "toy", "y": "mse"}, shows=("fr_chart", "fr_compute")),
    Scene("fr-mnist", "frontier", "The frontier on MNIST",
          "On real digits, how much variance does an SAE explain with 20 active latents?",
          "Read it off the curve: explained variance against L0, for every family.",
          {"data": "mnist", "y": "fve"}, shows=("fr_chart", "fr_compute")),
    # --- a language model's features ------------------------------------------------------------------
    Scene("lm-neuron", "lm_features", "A neuron fires for many things",
          "Take the language model's most mixed MLP neuron: does one kind of character hold most of its strongest "
          "activations?",
          "No: under half, with three kinds or more each holding a tenth or more; and the latents that make up those "
          "activations are each purer than the neuron.",
          {"kind": "neuron"}, shows=("lm_split",)),
    Scene("lm-latent", "lm_features", "A latent fires for one",
          "The neuron most about text inside strings, and the SAE latent most about it: which is purer?",
          "The latent; and over all units, latents are monosemantic more often than neurons (the ratio above the "
          "histograms).",
          {"label": "string"}, shows=("lm_unit_view", "lm_compare")),
    Scene("lm-steer", "lm_features", "Turn a feature up",
          "Clamp the latent for text inside strings high while the model writes: does its text change?",
          "Yes, within a few characters: same prompt, same seed, and the two texts part where the clamped latent "
          "tips the model towards the characters it promotes.",
          {"label": "string", "steer": "8"}, shows=("lm_steer_view",)),
)

_BY_SLUG = {scene.slug: scene for scene in SCENES}
assert len(_BY_SLUG) == len(SCENES), "scene slugs must be unique"


def scene_named(slug: str) -> Scene | None:
    return _BY_SLUG.get(slug)


def scenes_of(page: str) -> tuple[Scene, ...]:
    return tuple(scene for scene in SCENES if scene.page == page)


# The talk the app gives when none is named: the path of "What are Sparse Autoencoders?", from an autoencoder
# through sparsity, the L1 norm, KL and JS, and KL as a loss, to superposition and a live SAE.
DEFAULT_TALK: tuple[Scene, ...] = tuple(_BY_SLUG[slug] for slug in (
    "start", "ae-squeeze", "ae-sparse", "norms-vector", "norms-corner", "norms-shrink", "kl-identical",
    "kl-overlap", "kl-disjoint", "kl-asymmetry", "kl-forward", "kl-reverse", "sp-dense", "sp-pentagon",
    "so-balanced", "so-too-much-l1", "so-kl", "fr-toy"))
