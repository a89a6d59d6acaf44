"""Every page, declared once: its file, title, icon, section, state, URL prefix, scenes, warm job and gallery shots.

The router's navigation, the sidebar and home page's path, presenter mode's page files and titles, the scenes'
prewarming, the README gallery and the tests' tables all read this list. A new page is one `Page` here plus its
own files (the page, its state, its scenes in `app_core/talk/scenes.py` under its URL path).

The concepts follow "What are Sparse Autoencoders?", the text the playground grew from: an autoencoder and a
sparse one against a bottleneck, sparsity and the L1 norm, KL divergence (and Jensen–Shannon), KL as a loss;
then superposition, the reason SAEs exist, leads into the SAE pages.

State classes and job builders are named as "module:attribute" and imported on demand: the router reads this
list on every run, and importing a state class would load PyTorch before a concept page's first paint.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

DESKTOP, PROJECTOR = (1440, 900), (1920, 1080)


@dataclass(frozen=True)
class Shot:
    """One README gallery screenshot of a page, taken by scripts/gallery.py."""

    name: str  # docs/gallery/<name>.png
    caption: str
    query: str = ""  # the URL's query after the page's path, e.g. "present=1&scene=kl-forward"
    size: tuple[int, int] = DESKTOP
    steps: tuple = ()  # ("click", button) · ("key", key) · ("wait", s) · ("see" / "scroll", selector)


@dataclass(frozen=True)
class Page:
    path: str  # the page's file, as st.Page takes it
    title: str
    icon: str
    section: str
    blurb: str = ""  # one line on the home page: what you do there
    state: str | None = None  # "module:Class" of its URL-bound state (app_core/state), if it has one
    prefix: str | None = None  # its state's widget keys and session keys start with this
    job: str | None = None  # "module:function" making a warm scene's job: app_core/page_jobs.py
    shots: tuple[Shot, ...] = ()

    @property
    def url_path(self) -> str:
        """The page's URL path, as st.navigation derives it from the file name ("" for the home page)."""
        return "" if self.path == HOME.path else self.path.removeprefix("pages/").removesuffix(".py")

    def state_class(self) -> type:
        if self.state is None:
            raise LookupError(f"{self.path} has no URL-bound state")
        return _resolve(self.state)

    def job_builder(self) -> Callable[[Any, Callable], tuple]:
        """`(state, load_data) -> (setup, job)`: the job the page trains for `state`, under the setup its controller
        is given, so a run trained ahead is found under the page's own cache key."""
        if self.job is None:
            raise LookupError(f"{self.path} declares no job builder for warm scenes")
        return _resolve(self.job)

    @property
    def scenes(self) -> tuple:
        from app_core.talk.scenes import scenes_of

        return scenes_of(self.url_path)

    def shot_path(self, shot: Shot) -> str:
        """The URL path and query a gallery shot opens."""
        return self.url_path + (f"?{shot.query}" if shot.query else "")


def _resolve(name: str):
    module, attribute = name.split(":")
    return getattr(importlib.import_module(module), attribute)


START, CONCEPTS, SAES, PRESENT = "Start", "Concepts", "Sparse autoencoders", "Present"
PATH_SECTIONS = (CONCEPTS, SAES)  # the teaching path: home lists it, each stop links the next
_STATE = "app_core.state."
_JOBS = "app_core.page_jobs:"

HOME = Page("pages/home.py", "Start here", ":material/home:", START,
            shots=(Shot("home", "Start here: the path through the concepts to the SAE pages"),))

PAGES: tuple[Page, ...] = (
    HOME,
    Page("pages/autoencoders.py", "Autoencoders", ":material/compress:", CONCEPTS,
         "Train a bottleneck autoencoder and a sparse one side by side: short dense codes against long, mostly-zero "
         "ones.", _STATE + "autoencoders:AutoencodersState", "ae",
         shots=(Shot("autoencoders", "Autoencoders: a bottleneck and a sparse autoencoder trained side by side",
                     steps=(("click", "Play"), ("wait", 8), ("click", "Pause"))),)),
    Page("pages/norms.py", "Sparsity and the L1 norm", ":material/grid_on:", CONCEPTS,
         "Drag a vector and watch L0, L1 and L2; see why the L1 ball puts solutions on a corner, where an entry is "
         "exactly zero.", _STATE + "norms:NormsState", "nm",
         shots=(Shot("norms", "Sparsity and the L1 norm: L0, L1 and L2 of a vector you drag, and the L1 ball's "
                              "corners"),)),
    Page("pages/kl_divergence.py", "KL vs Jensen–Shannon", ":material/compare_arrows:", CONCEPTS,
         "Drag two distributions and watch KL(P‖Q), KL(Q‖P) and JS change: asymmetry, infinities, and the ln 2 "
         "ceiling.", _STATE + "kl:KLState", "kl",
         shots=(Shot("kl", "KL vs Jensen–Shannon: drag P and Q"),
                Shot("present-kl", "Presenter mode at 1920×1080: a scene's question, big type, no sidebar",
                     "present=1&scene=kl-disjoint", PROJECTOR))),
    Page("pages/kl_loss.py", "KL as a loss", ":material/trending_down:", CONCEPTS,
         "Fit a Gaussian to two modes by forward KL (it covers both) or reverse KL (it picks one).",
         _STATE + "kl_loss:KLLossState", "kll", _JOBS + "kl_loss_job",
         shots=(Shot("kl-loss", "KL as a loss: reverse KL picks one mode", "dir=reverse",
                     steps=(("click", "Play"), ("wait", 6))),
                Shot("present-kl-loss", "Presenter mode: a scene is a slide (its question, its controls, its "
                                        "figures) and A reveals the answer", "present=1&scene=kl-forward", PROJECTOR,
                     (("key", "Space"), ("wait", 6), ("key", "a"), ("wait", 1))))),
    Page("pages/superposition.py", "Superposition", ":material/hub:", CONCEPTS,
         "Squeeze five features into two dimensions and watch a pentagon form: why SAEs exist.",
         _STATE + "superposition:SuperpositionState", "sp", _JOBS + "superposition_job",
         shots=(Shot("superposition", "Superposition: five sparse features form a pentagon", "p=0.01&decay=1",
                     steps=(("click", "Play"), ("wait", 8))),
                Shot("present-superposition", "Presenter mode: → walks the scenes, here the pentagon",
                     "present=1&scene=sp-pentagon", PROJECTOR, (("key", "Space"), ("wait", 8))))),
    Page("pages/sparsity.py", "Sparsity trade-off", ":material/tune:", SAES,
         "Train an SAE live and move the L1 or KL sliders while it learns: sparsity against reconstruction.",
         _STATE + "tradeoff:TradeoffState", "so", _JOBS + "tradeoff_job",
         shots=(Shot("sparsity", "Sparsity trade-off: an SAE trained live on toy data", "data=toy&latents=64",
                     steps=(("click", "Play"), ("wait", 6), ("click", "Pause"))),
                Shot("present-sparsity", "Presenter mode: a scene resumes a trained run; Space plays it",
                     "present=1&scene=so-too-much-l1", PROJECTOR, (("key", "Space"), ("wait", 4), ("key", "Space"))))),
    Page("pages/train.py", "Train an SAE", ":material/model_training:", SAES,
         "Toy data with known features, MNIST, 8×8 digits or your own array; five architectures; download the "
         "model.", _STATE + "training:TrainState", "tr", _JOBS + "train_job",
         shots=(Shot("train", "Train an SAE: TopK on toy data with known features", "arch=topk&k=8&epochs=3",
                     steps=(("click", "Train"), ("wait", 10), ("scroll", ".st-key-tr_curves"))),)),
    Page("pages/features.py", "Feature explorer", ":material/travel_explore:", SAES,
         "Every latent's dictionary atom, how often it fires, and the inputs that excite it most.",
         _STATE + "explorer:ExplorerState", "fx",
         shots=(Shot("features", "Feature explorer: atoms, densities and top inputs of a quick MNIST SAE",
                     steps=(("click", "Train a quick"), ("see", "[data-testid=stImage]"), ("wait", 2))),)),
    Page("pages/frontier.py", "Frontier", ":material/show_chart:", SAES,
         "L0 against MSE for ReLU, KL, TopK and JumpReLU SAEs, and classical dictionary learning.",
         _STATE + "frontier:FrontierState", "fr",
         shots=(Shot("frontier", "Frontier: L0 against MSE for every SAE family and dictionary learning",
                     steps=(("see", ".st-key-fr_chart .js-plotly-plot"),)),)),
    Page("pages/lm_features.py", "A language model's features", ":material/text_fields:", SAES,
         "A tiny transformer trained on Python's own source: its neurons fire for many things, an SAE's latents for "
         "one; find a latent for 'inside a string' and turn it up while the model writes.",
         _STATE + "lm_features:LMFeaturesState", "lm",
         shots=(Shot("lm-features", "A language model's features: a latent for text inside strings, its contexts "
                                    "shaded by activation", "label=string",
                     steps=(("see", ".st-key-lm_unit_view .lm-ctx-list"), ("scroll", ".st-key-lm_unit_view"))),)),
    # Serves the path rather than stands on it: the sidebar lists it after the path.
    Page("pages/talks.py", "Build a talk", ":material/slideshow:", PRESENT,
         "Every scene with its question; pick and order scenes, then present them or copy the talk's link.",
         shots=(Shot("build-talk", "Build a talk: every scene with its question; pick, order, present or copy the "
                                   "link"),)),
)

_BY_URL = {page.url_path: page for page in PAGES}
_BY_FILE = {page.path: page for page in PAGES}
assert len(_BY_URL) == len(_BY_FILE) == len(PAGES), "each page once"
assert len({page.prefix for page in PAGES if page.prefix}) == sum(1 for page in PAGES if page.prefix), \
    "URL-state prefixes must differ: they key session state"


def sections() -> dict[str, tuple[Page, ...]]:
    """Every page by section, in order: the router's navigation."""
    grouped: dict[str, list[Page]] = {}
    for page in PAGES:
        grouped.setdefault(page.section, []).append(page)
    return {section: tuple(pages) for section, pages in grouped.items()}


def path_sections() -> dict[str, tuple[Page, ...]]:
    """The teaching path's sections and their stops, as the home page lists them."""
    return {section: pages for section, pages in sections().items() if section in PATH_SECTIONS}


def page_at(url_path: str) -> Page | None:
    """The page at URL path `url_path` ("" for the home page), None for none."""
    return _BY_URL.get(url_path)


def page_of_file(path: str) -> Page:
    """The page whose file is `path`: "pages/x.py", or a page's own `__file__`."""
    for page in PAGES:
        if path == page.path or path.replace("\\", "/").endswith("/" + page.path):
            return page
    raise LookupError(f"{path} is not a registered page")


def next_stop(path: str) -> Page | None:
    """The stop after the page whose file is `path` on the path (None after the last, or off the path)."""
    stops = [page for pages in path_sections().values() for page in pages]
    files = [page.path for page in stops]
    return stops[files.index(path) + 1] if path in files and files.index(path) + 1 < len(stops) else None


def stated_pages() -> dict[str, type]:
    """{URL path: state class} of every page with a URL-bound state."""
    return {page.url_path: page.state_class() for page in PAGES if page.state}
