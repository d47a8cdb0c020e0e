#!/usr/bin/env python3
"""Baseline for `percept bench probes`: the same kNN and a linear probe with scikit-learn.

Reads the features `percept bench probes --write DIR` wrote and times
- kNN: brute-force cosine, k 20, votes weighted exp(cos / 0.07) (DINO's), as percept;
- linear probe: LogisticRegression (multinomial, lbfgs, sklearn's default 100 iterations) on
  features standardised with the training moments, the usual scikit-learn linear probe.
Needs Debian's python3-sklearn. Usage: sklearn_probes.py DIR [threads]
"""
import json
import os
import sys
import time

threads = sys.argv[2] if len(sys.argv) > 2 else "2"
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, threads)

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

d = sys.argv[1]
load = lambda name: np.load(os.path.join(d, name))  # noqa: E731
x_train, y_train = load("train_x.npy"), load("train_y.npy").astype(np.int64)
x_test, y_test = load("test_x.npy"), load("test_y.npy").astype(np.int64)

T = 0.07
t0 = time.perf_counter()
knn = KNeighborsClassifier(n_neighbors=20, metric="cosine", algorithm="brute",
                           weights=lambda dist: np.exp((1.0 - dist) / T), n_jobs=int(threads))
knn.fit(x_train, y_train)
knn_accuracy = float((knn.predict(x_test) == y_test).mean())
knn_s = time.perf_counter() - t0

t1 = time.perf_counter()
scaler = StandardScaler().fit(x_train)
lr = LogisticRegression(max_iter=100)
lr.fit(scaler.transform(x_train), y_train)
linear_accuracy = float((lr.predict(scaler.transform(x_test)) == y_test).mean())
linear_s = time.perf_counter() - t1

print(json.dumps({"knn_s": round(knn_s, 3), "knn_accuracy": round(knn_accuracy, 4),
                  "linear_s": round(linear_s, 3), "linear_accuracy": round(linear_accuracy, 4),
                  "linear_iterations": int(lr.n_iter_[0]), "threads": int(threads)}))
