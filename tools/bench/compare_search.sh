#!/usr/bin/env bash
# percept bench search (Lucene HNSW) against FAISS's HNSW on the same vectors, alternating which
# runs first over rounds, then a table: per quantization, build time, size, and QPS at equal recall@10.
# Usage: tools/bench/compare_search.sh [rounds] [workdir] [-- extra `percept bench search` options]
# e.g.   tools/bench/compare_search.sh 2 /tmp/sb -- --rows 20000 --queries 500
# Both use 2 threads (--threads 2, omp 2). FAISS runs on Debian's python (/usr/bin/python3,
# apt-get install python3-faiss); set PYTHON to override, and PERCEPT (default ./percept) to run a
# fixed build, e.g. PERCEPT="java -jar /tmp/percept.jar". Quantizations: none and int7 (FAISS: SQ8).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-2}"
work="${2:-$(mktemp -d)}"
shift $(( $# < 2 ? $# : 2 ))
[ "${1:-}" = "--" ] && shift
py="${PYTHON:-/usr/bin/python3}"
export OMP_WAIT_POLICY=PASSIVE
mkdir -p "$work"
results="$work/results.jsonl"
: > "$results"

run_percept() { # $1: extra options (the first run writes the vectors); then the user's
  local extra="$1"; shift
  ${PERCEPT:-./percept} bench search --threads 2 --quantize none,int7 $extra "$@" | tee "$work/percept-$r.txt" >&2
  grep '^{' "$work/percept-$r.txt" | sed "s/^{/{\"round\": $r, /" >> "$results"
}
run_faiss() {
  "$py" tools/bench/faiss_hnsw.py "$work" --threads 2 --quantize none,int7 | tee "$work/faiss-$r.txt" >&2
  grep '^{' "$work/faiss-$r.txt" | sed "s/^{/{\"round\": $r, /" >> "$results"
}

for r in $(seq 1 "$rounds"); do
  if [ "$r" = 1 ]; then
    run_percept "--write $work" "$@"
    run_faiss
  elif [ $((r % 2)) = 0 ]; then
    run_faiss
    run_percept "" "$@"
  else
    run_percept "" "$@"
    run_faiss
  fi
done

"$py" - "$results" <<'EOF'
import json, math, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def qps_at(points, target):
    """QPS at recall `target`, interpolated in log(QPS) between the two beam widths around it (None: never reached)."""
    pts = sorted(points, key=lambda p: p["ef"])
    for i, p in enumerate(pts):
        if p["recall"] >= target:
            if i == 0:
                return p["qps"]  # reached at the smallest beam: a lower bound
            a = pts[i - 1]
            if p["recall"] == a["recall"]:
                return p["qps"]
            t = (target - a["recall"]) / (p["recall"] - a["recall"])
            return math.exp(math.log(a["qps"]) + t * (math.log(p["qps"]) - math.log(a["qps"])))
    return None
def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None
def fmt(x, f="{:.2f}"):
    return "-" if x is None else f.format(x)
first = rows[0]
print(f"\n{first['rows']} x {first['dim']}, {first['queries']} queries, 2 threads each, "
      f"{max(r['round'] for r in rows)} round(s); ratios are percept / FAISS, medians over rounds")
for quant in ["none", "int7"]:
    mine = {r["round"]: r for r in rows if r["engine"] == "percept" and r["quantize"] == quant}
    theirs = {r["round"]: r for r in rows if r["engine"] == "faiss" and r["quantize"] == quant}
    rounds = sorted(set(mine) & set(theirs))
    if not rounds:
        continue
    label = "float32" if quant == "none" else "int7 (FAISS: SQ8), candidates re-ranked exactly"
    print(f"\n{label}")
    b_m = med([mine[r]["build_s"] for r in rounds]); b_f = med([theirs[r]["build_s"] for r in rounds])
    print(f"  build s       percept {b_m:8.1f}   faiss {b_f:8.1f}   ratio {b_m / b_f:.2f}")
    s_m = mine[rounds[0]]["index_bytes"] / 1e6; s_f = theirs[rounds[0]]["index_bytes"] / 1e6
    print(f"  size MB       percept {s_m:8.1f}   faiss {s_f:8.1f}   ratio {s_m / s_f:.2f}")
    print(f"  {'ef':>5} {'recall p':>9} {'recall f':>9} {'QPS p':>9} {'QPS f':>9}")
    for i, p in enumerate(mine[rounds[0]]["points"]):
        f = theirs[rounds[0]]["points"][i]
        qp = med([mine[r]["points"][i]["qps"] for r in rounds]); qf = med([theirs[r]["points"][i]["qps"] for r in rounds])
        print(f"  {p['ef']:>5} {p['recall']:>9.4f} {f['recall']:>9.4f} {qp:>9.0f} {qf:>9.0f}")
    print(f"  {'recall':>8} {'QPS percept':>12} {'QPS faiss':>10} {'ratio':>7}")
    for target in [0.90, 0.95, 0.98, 0.99]:
        qp = med([qps_at(mine[r]["points"], target) for r in rounds])
        qf = med([qps_at(theirs[r]["points"], target) for r in rounds])
        pairs = [(qps_at(mine[r]["points"], target), qps_at(theirs[r]["points"], target)) for r in rounds]
        ratio = med([a / b for a, b in pairs if a is not None and b is not None])
        print(f"  {target:>8.2f} {fmt(qp, '{:.0f}'):>12} {fmt(qf, '{:.0f}'):>10} {fmt(ratio):>7}")
EOF
