"""Every page, in the order the playground teaches: the sidebar and the home page's path both read it.

The concepts follow "What are Sparse Autoencoders?", the text the playground grew from: an autoencoder and a
sparse one against a bottleneck, sparsity and the L1 norm, KL divergence (and Jensen–Shannon), KL as a loss;
then superposition, the reason SAEs exist, leads into the SAE pages.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stop:
    path: str
    title: str
    icon: str
    blurb: str  # one line on the home page: what you do there

    @property
    def url_path(self) -> str:
        """The page's URL path, as st.navigation derives it from the file name ("" for the home page)."""
        return "" if self == HOME else self.path.removeprefix("pages/").removesuffix(".py")


HOME = Stop("pages/home.py", "Start here", ":material/home:", "")

PATH: dict[str, tuple[Stop, ...]] = {
    "Concepts": (
        Stop("pages/autoencoders.py", "Autoencoders", ":material/compress:",
             "Train a bottleneck autoencoder and a sparse one side by side: short dense codes against long, "
             "mostly-zero ones."),
        Stop("pages/norms.py", "Sparsity and the L1 norm", ":material/grid_on:",
             "Drag a vector and watch L0, L1 and L2; see why the L1 ball puts solutions on a corner, where an "
             "entry is exactly zero."),
        Stop("pages/kl_divergence.py", "KL vs Jensen–Shannon", ":material/compare_arrows:",
             "Drag two distributions and watch KL(P‖Q), KL(Q‖P) and JS change: asymmetry, infinities, and "
             "the ln 2 ceiling."),
        Stop("pages/kl_loss.py", "KL as a loss", ":material/trending_down:",
             "Fit a Gaussian to two modes by forward KL (it covers both) or reverse KL (it picks one)."),
        Stop("pages/superposition.py", "Superposition", ":material/hub:",
             "Squeeze five features into two dimensions and watch a pentagon form: why SAEs exist."),
    ),
    "Sparse autoencoders": (
        Stop("pages/sparsity.py", "Sparsity trade-off", ":material/tune:",
             "Train an SAE live and move the L1 or KL sliders while it learns: sparsity against reconstruction."),
        Stop("pages/train.py", "Train an SAE", ":material/model_training:",
             "Toy data with known features, MNIST, 8×8 digits or your own array; five architectures; download "
             "the model."),
        Stop("pages/features.py", "Feature explorer", ":material/travel_explore:",
             "Every latent's dictionary atom, how often it fires, and the inputs that excite it most."),
        Stop("pages/frontier.py", "Frontier", ":material/show_chart:",
             "L0 against MSE for ReLU, KL, TopK and JumpReLU SAEs, and classical dictionary learning."),
    ),
}


# Pages that serve the path rather than stand on it: the sidebar lists them after it.
TOOLS: dict[str, tuple[Stop, ...]] = {
    "Present": (
        Stop("pages/talks.py", "Build a talk", ":material/slideshow:",
             "Every scene with its question; pick and order scenes, then present them or copy the talk's link."),
    ),
}


def all_stops() -> list[Stop]:
    """Every routed page: home, the path, the tools."""
    return [HOME] + [stop for sections in (PATH, TOOLS) for section in sections.values() for stop in section]


def next_stop(path: str) -> Stop | None:
    """The stop after `path` on the path (None after the last)."""
    stops = [stop for section in PATH.values() for stop in section]
    paths = [stop.path for stop in stops]
    return stops[paths.index(path) + 1] if path in paths and paths.index(path) + 1 < len(stops) else None
