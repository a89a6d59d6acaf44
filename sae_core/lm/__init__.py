"""A byte-level language model on the standard library, and SAEs on its MLP: monosemanticity measured.

No Streamlit here. The API a notebook or a page uses:

- `load_corpus(cap_bytes)` (corpus.py): standard-library files, split by file into train / held-out;
- `char_labels(text)` (labels.py): each character's tokenize kind and character-class flags; LABELS;
- `train_all(folder, config, progress)` / `LMPipeline(folder, config).advance(seconds)` (pipeline.py):
  the LM and its SAE trained step-wise, resumable, into a folder (the cache; `default_folder(config)`);
- `load_lm(folder)` (persistence.py) → ByteLM with `mlp_activations(text)` [len(text), d_mlp] and
  `generate(prompt, n, temperature, seed, steer)`; `LMFileError` for a damaged folder;
- `LMSAE.load(folder / "sae")` (sae.py): the SAE through the app's own SAELens loader;
- `Steer(latent, value, mode, sae)` (steering.py);
- `analyse(lm, sae, files)` (analysis.py) and `compare` / `unit_purity` (monosemanticity.py);
- `top_contexts`, `activation_histogram`, `promoted_chars`, `search_by_label`, `search_by_text` (explore.py).
"""

from sae_core.lm.analysis import Analysis, analyse
from sae_core.lm.corpus import Corpus, load_corpus
from sae_core.lm.explore import activation_histogram, promoted_chars, search_by_label, search_by_text, top_contexts
from sae_core.lm.labels import FLAGS, KINDS, LABELS, char_labels
from sae_core.lm.model import ByteLM, LMConfig
from sae_core.lm.monosemanticity import UnitPurity, compare, unit_purity
from sae_core.lm.persistence import LMFileError, load_lm, save_lm
from sae_core.lm.pipeline import LMPipeline, Progress, RunConfig, default_folder, train_all
from sae_core.lm.sae import LMSAE, SAEPlan
from sae_core.lm.steering import Steer
from sae_core.lm.text import MAX_ANALYSED_CHARS, clip_text
from sae_core.lm.trainer import LMHParams, LMTrainer

__all__ = ["Analysis", "ByteLM", "Corpus", "FLAGS", "KINDS", "LABELS", "LMConfig", "LMFileError", "LMHParams",
           "LMPipeline", "LMSAE", "LMTrainer", "MAX_ANALYSED_CHARS", "Progress", "RunConfig", "SAEPlan", "Steer",
           "UnitPurity", "activation_histogram", "analyse", "char_labels", "clip_text", "compare", "default_folder",
           "load_corpus", "load_lm", "promoted_chars", "save_lm", "search_by_label", "search_by_text", "top_contexts",
           "train_all", "unit_purity"]
