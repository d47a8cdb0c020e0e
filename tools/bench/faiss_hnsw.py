#!/usr/bin/python3
"""FAISS's HNSW on the vectors `percept bench search --write DIR` wrote (DIR/base.npy, DIR/queries.npy).

Builds the counterparts of percept's Lucene indexes with the same graph settings (M 16, so 32 links
on the bottom layer as in Lucene; efConstruction 100 = Lucene's beam width; inner product on unit
vectors) and measures build time, size on disk (faiss.write_index), and, per efSearch, recall@10
against exact brute force (IndexFlatIP) and queries/s over all queries in one batch with
--threads OpenMP threads (FAISS's fastest way to run many queries):
  none -> IndexHNSWFlat                          (float32)
  int7 -> IndexHNSWSQ with QT_8bit, candidates    (FAISS's nearest scalar quantizer; percept's int7
          re-ranked exactly with the float vectors  re-ranks its candidates the same way)
Prints a table and one JSON line per index, in the shape of `percept bench search`.

Needs Debian's python3-faiss (1.7.3): /usr/bin/python3 tools/bench/faiss_hnsw.py DIR
"""
import argparse
import json
import os
import tempfile
import time

import faiss
import numpy as np

K = 10


def recall(found, truth):
    return float(np.mean([len(set(f[f >= 0]) & set(t)) / K for f, t in zip(found, truth)]))


def build(kind, base):
    d = base.shape[1]
    if kind == "none":
        index = faiss.IndexHNSWFlat(d, 16, faiss.METRIC_INNER_PRODUCT)
    else:
        index = faiss.IndexHNSWSQ(d, faiss.ScalarQuantizer.QT_8bit, 16, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 100
    t0 = time.perf_counter()
    if kind != "none":
        index.train(base)
    index.add(base)
    seconds = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "index.faiss")
        faiss.write_index(index, path)
        size = os.path.getsize(path)
    return index, seconds, size


def search(kind, index, base, queries, ef):
    index.hnsw.efSearch = ef
    if kind == "none":
        _, found = index.search(queries, K)
        return found
    _, candidates = index.search(queries, ef)
    safe = np.where(candidates >= 0, candidates, 0)
    exact = np.einsum("qcd,qd->qc", base[safe], queries)
    exact[candidates < 0] = -np.inf
    order = np.argsort(-exact, axis=1)[:, :K]
    return np.take_along_axis(candidates, order, axis=1)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir")
    p.add_argument("--quantize", default="none,int7")
    p.add_argument("--candidates", default="10,20,40,80,160,320")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3, help="timed passes per efSearch (the best counts)")
    a = p.parse_args()
    faiss.omp_set_num_threads(a.threads)
    base = np.ascontiguousarray(np.load(os.path.join(a.dir, "base.npy")), dtype=np.float32)
    queries = np.ascontiguousarray(np.load(os.path.join(a.dir, "queries.npy")), dtype=np.float32)
    efs = [int(x) for x in a.candidates.split(",")]
    flat = faiss.IndexFlatIP(base.shape[1])
    flat.add(base)
    _, truth = flat.search(queries, K)
    del flat
    print(f"faiss {faiss.__version__} HNSW (M 16, efConstruction 100), {base.shape[0]} x {base.shape[1]}, "
          f"{len(queries)} queries, {a.threads} threads")
    print(f"{'quant':<6} {'build_s':>10} {'size_MB':>10} {'ef':>6} {'recall@10':>9} {'QPS':>10}")
    lines = []
    for kind in a.quantize.split(","):
        index, seconds, size = build(kind, base)
        search(kind, index, base, queries, max(efs))  # warm-up
        points = []
        for ef in efs:
            best = 0.0
            for _ in range(a.rounds):
                t0 = time.perf_counter()
                found = search(kind, index, base, queries, ef)
                best = max(best, len(queries) / (time.perf_counter() - t0))
            r = recall(found, truth)
            points.append({"ef": ef, "recall": round(r, 4), "qps": round(best, 1)})
            print(f"{kind:<6} {seconds:>10.1f} {size / 1e6:>10.1f} {ef:>6} {r:>9.4f} {best:>10.0f}")
        lines.append({"engine": "faiss", "quantize": kind, "rows": int(base.shape[0]), "dim": int(base.shape[1]),
                      "queries": len(queries), "threads": a.threads, "build_s": round(seconds, 2), "index_bytes": size,
                      "points": points})
        del index
    for line in lines:
        print(json.dumps(line))


if __name__ == "__main__":
    main()
