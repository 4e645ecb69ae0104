"""scikit-learn on the arrays bench/models.ts writes, for the ratios of the models suite (bench/models-run.mjs).

A long-lived child speaking bench/lib/protocol.mjs's line protocol: one JSON command per stdin line, one JSON reply
per stdout line ({"ok": true, "value": ...} or {"ok": false, "error": ...}); nothing else goes to stdout.

    /usr/bin/python3 bench/models_sklearn.py <arrays-dir>
    {"op": "info"}                    -> versions, thread pools (threadpoolctl), the shapes read
    {"op": "run", "algorithm": NAME}  -> {"ms": ..., "check": {...}}: one timed run (names as in bench/models.ts)
    {"op": "exit"}

Threads: the parent sets OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1, … for the single-threaded process (our models
run on one thread, in a worker) and leaves them unset for the default one; `info` reports what the pools got.
Runs with Debian's python3-sklearn (scikit-learn 1.2.1, numpy 1.24.2, scipy 1.10.1) or any scikit-learn ≥ 1.0.
"""
import json
import os
import platform
import sys
import time
import traceback

import numpy as np
import scipy
import sklearn
from sklearn.cluster import AgglomerativeClustering, KMeans
from scipy.sparse import csr_matrix
from sklearn.metrics import silhouette_score
from sklearn.metrics.pairwise import cosine_similarity

folder = sys.argv[1]
with open(os.path.join(folder, "arrays.json")) as handle:
    meta = json.load(handle)


def load(spec):
    values = np.fromfile(os.path.join(folder, spec["file"]), dtype=spec["dtype"])
    return values.reshape(spec["rows"], spec["cols"]) if "cols" in spec else values


rfm = load(meta["rfm"])
synthetic = load(meta["synthetic"])
labels = load(meta["rfmLabels"])
K, N_INIT, SEED = meta["k"], meta["nInit"], meta["seed"]
bm25 = meta["bm25ByItem"]
by_item = csr_matrix(
    (
        np.fromfile(os.path.join(folder, bm25["data"]), dtype="<f8"),
        np.fromfile(os.path.join(folder, bm25["indices"]), dtype="<i4"),
        np.fromfile(os.path.join(folder, bm25["indptr"]), dtype="<i4"),
    ),
    shape=(bm25["rows"], bm25["cols"]),
)


def sizes(found):
    return sorted(np.bincount(found).tolist(), reverse=True)


def kmeans(X):
    fitted = KMeans(n_clusters=K, n_init=N_INIT, random_state=SEED).fit(X)
    return {"inertia": float(fitted.inertia_), "iterations": int(fitted.n_iter_), "sizes": sizes(fitted.labels_)}


def elbow():
    inertias = [float(KMeans(n_clusters=k, n_init=N_INIT, random_state=SEED).fit(rfm).inertia_) for k in range(2, 11)]
    return {"inertias": inertias}


def ward():
    fitted = AgglomerativeClustering(n_clusters=K, linkage="ward").fit(rfm)
    return {"sizes": sizes(fitted.labels_)}


def silhouette_by_k():
    scores = []
    for k in range(2, 11):
        found = KMeans(n_clusters=k, n_init=N_INIT, random_state=SEED).fit(rfm).labels_
        scores.append(float(silhouette_score(rfm, found)))
    return {"silhouettes": scores, "suggestedK": 2 + int(np.argmax(scores))}


def cosine_all():
    similar = cosine_similarity(by_item, dense_output=False)
    similar.setdiag(0)  # every product has its own similarity 1 stored, so this changes values, not structure
    best = similar.max(axis=1).toarray().ravel()
    return {"products": by_item.shape[0], "meanTopSimilarity": float(best[best > 0].mean())}


ALGORITHMS = {
    "cosine-all": cosine_all,
    "kmeans-rfm": lambda: kmeans(rfm),
    "kmeans-100000x6": lambda: kmeans(synthetic),
    "elbow-rfm": elbow,
    "silhouette-rfm": lambda: {"mean": float(silhouette_score(rfm, labels))},
    "ward-rfm": ward,
    "silhouette-by-k-rfm": silhouette_by_k,
}


def info():
    pools = None
    try:
        from threadpoolctl import threadpool_info

        pools = [{key: pool.get(key) for key in ("user_api", "internal_api", "num_threads")} for pool in threadpool_info()]
    except Exception as error:  # threadpoolctl is a scikit-learn dependency, but say so if it is missing
        pools = f"threadpoolctl unavailable: {error}"
    return {
        "python": f"{platform.python_version()} ({sys.executable})",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "threadPools": pools,
        "threadEnv": {name: os.environ.get(name) for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")},
        "shapes": {"rfm": list(rfm.shape), "synthetic": list(synthetic.shape), "labels": list(labels.shape)},
    }


def run(algorithm):
    if algorithm not in ALGORITHMS:
        raise ValueError(f'unknown algorithm "{algorithm}"')
    start = time.perf_counter()
    check = ALGORITHMS[algorithm]()
    return {"ms": (time.perf_counter() - start) * 1000, "check": check}


def reply(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


for line in sys.stdin:
    if not line.strip():
        continue
    command = json.loads(line)
    op = command.get("op")
    if op == "exit":
        break
    try:
        if op == "info":
            reply({"ok": True, "value": info()})
        elif op == "run":
            reply({"ok": True, "value": run(command["algorithm"])})
        else:
            raise ValueError(f'unknown op "{op}"')
    except Exception:
        reply({"ok": False, "error": traceback.format_exc()})
