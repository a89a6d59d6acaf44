from sae_core.lm.corpus import load_corpus


def test_corpus_is_deterministic_split_by_file_capped_and_has_no_tests(tiny_corpus):
    again = load_corpus(60_000)
    assert [f.name for f in again.train] == [f.name for f in tiny_corpus.train]
    names = [f.name for f in tiny_corpus.train + tiny_corpus.heldout]
    assert not {f.name for f in tiny_corpus.train} & {f.name for f in tiny_corpus.heldout}
    assert not any("/test/" in f"/{n}" or n.split("/")[-1].startswith("test_") for n in names)
    assert sum(len(f.text.encode()) + 1 for f in tiny_corpus.train) <= 60_000
    assert tiny_corpus.heldout and tiny_corpus.train
    assert len(tiny_corpus.train_bytes()) == sum(len(f.text.encode()) + 1 for f in tiny_corpus.train)
