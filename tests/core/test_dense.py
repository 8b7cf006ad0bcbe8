import numpy as np

from factwatch.analysers.dense import DenseIndex


def _unit(rng, n, d=384):
    v = rng.standard_normal((n, d)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_approximate_index_agrees_with_exact_and_grows_incrementally():
    rng = np.random.default_rng(0)
    v = _unit(rng, 2000)
    exact, ann = DenseIndex(v), DenseIndex(v, exact_limit=500)
    assert not exact.approximate and ann.approximate
    hits = 0
    for i in range(50):
        q = v[i] + 0.05 * rng.standard_normal(384).astype(np.float32)
        q /= np.linalg.norm(q)
        e, _ = exact.search(q, 10)
        a, _ = ann.search(q, 10)
        hits += len(set(e) & set(a))
        assert a[0] == e[0] == i
        rows = np.arange(0, 2000, 37)
        assert (
            np.abs(ann.score(q, rows) - exact.score(q, rows)).max() < 0.01
        )  # float16 keeps scores
    assert hits / 500 >= 0.8  # ranks 2-10 are near-ties of random vectors; top-1 is exact above
    new = _unit(rng, 5)
    ann.add(new)
    exact.add(new)
    assert ann.n == exact.n == 2005
    assert ann.search(new[3], 1)[0][0] == 2003 == exact.search(new[3], 1)[0][0]


def test_exact_index_switches_to_ann_when_it_outgrows_the_limit():
    rng = np.random.default_rng(1)
    idx = DenseIndex(_unit(rng, 10), exact_limit=20)
    idx.add(_unit(rng, 15))
    assert idx.approximate and idx.n == 25
    q = _unit(rng, 1)[0]
    rows, scores = idx.search(q, 3)
    assert np.allclose(idx.score(q, rows), scores)


def test_approximate_index_then_encoder_does_not_crash_the_process():
    """usearch loaded before onnxruntime used to kill the process (segfault) when the matcher
    embedded posts after building an approximate index."""
    import subprocess
    import sys

    code = (
        "import numpy as np\n"
        "from factwatch.analysers.dense import DenseIndex\n"
        "v = np.eye(8, 384, dtype=np.float32)\n"
        "assert DenseIndex(v, exact_limit=2).approximate\n"
        "import onnxruntime\n"
        "print('alive')\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "alive" in r.stdout, r.stderr[-500:]
