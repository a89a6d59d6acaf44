import numpy as np

from app_core.figures.atom_figures import atom_grid

RNG = np.random.default_rng(0)


def test_vector_atoms_are_rows_numbered_by_latent_and_clickable_as_it():
    atoms, ids = RNG.normal(size=(5, 32)), [9, 2, 40, 7, 11]
    fig = atom_grid(atoms, ids, None, selected=40)
    heat, hits = fig.data
    assert np.asarray(heat.z).shape == (5, 32)
    assert list(fig.layout.yaxis.ticktext) == ["9", "2", "40", "7", "11"]
    assert {j for (j,) in hits.customdata} == set(ids)
    # each row's points carry that row's latent, so a click on the row picks it
    for row, j in enumerate(ids):
        assert {c[0] for c, y in zip(hits.customdata, hits.y) if y == row} == {j}
    (outline,) = fig.layout.shapes
    assert (outline.y0, outline.y1) == (1.5, 2.5)  # latent 40's row


def test_an_atom_is_drawn_as_its_own_weights_scaled_to_its_largest():
    atoms = np.array([[0.0, 2.0, -1.0], [0.0, 0.0, 0.0]])
    z = np.asarray(atom_grid(atoms, [0, 1], None).data[0].z)
    assert z.tolist() == [[0, 100, -50], [0, 0, 0]]  # an all-zero atom stays zero


def test_image_atoms_are_numbered_in_their_corner_and_every_one_is_clickable():
    atoms, ids = RNG.normal(size=(20, 64)), list(range(100, 120))
    fig = atom_grid(atoms, ids, (8, 8), selected=117, cols=8)
    heat, hits = fig.data
    assert np.asarray(heat.z).shape == (3 * 9 + 1, 8 * 9 + 1)
    assert [a.text for a in fig.layout.annotations] == [str(j) for j in ids]
    assert {j for (j,) in hits.customdata} == set(ids)
    orange = [s for s in fig.layout.shapes if s.line.color != "white"]
    assert len(orange) == 1 and (orange[0].x0, orange[0].y0) == (1 + 9 * 1 - 1, 1 + 9 * 2 - 1)  # the 18th: row 2, col 1
