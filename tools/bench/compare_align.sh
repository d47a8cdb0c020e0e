#!/usr/bin/env bash
# Alignment training speed and memory, ViT-B/16 (random weights) with LoRA r 16 on qkv, 8 triplets
# (24 images) per step, 2 threads: PyTorch eager (Debian's python3-torch) in fp32 and bf16, each as
# installed and with glibc told to keep freed memory, against percept bf16 through ./percept (which
# sets that glibc tuning itself, plus MALLOC_ARENA_MAX=1) with and without --checkpoint-activations. The contenders alternate within each
# round, so a noisy neighbour hurts all of them; the ratios are taken per round, then their median.
# Needs: apt-get install python3-torch libopenblas0-openmp.
# Usage: tools/bench/compare_align.sh [threads] [seconds per measurement] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
threads="${1:-2}"
seconds="${2:-60}"
rounds="${3:-2}"
source tools/bench/bench_env.sh
keep_memory=(env MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736)
./percept --version >/dev/null # build first, outside the measurements
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

run() { # name, command...
  local name="$1"
  shift
  local line
  line="$("$@" 2>/dev/null | grep '^{' | tail -1)"
  echo "$name $line" | tee -a "$log"
}

pytorch=(/usr/bin/python3 tools/bench/pytorch_eager_lora.py --threads "$threads" --batch 8 --seconds "$seconds")
percept=(./percept bench align --model random-vit-b16 --batch 8 --threads "$threads" --precision bf16 --seconds "$seconds")
date -u +"%Y-%m-%dT%H:%MZ, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
  echo "== round $round"
  run "$round pytorch-fp32" "${pytorch[@]}" --dtype fp32
  run "$round pytorch-fp32-keep" "${keep_memory[@]}" "${pytorch[@]}" --dtype fp32
  run "$round pytorch-bf16" "${pytorch[@]}" --dtype bf16
  run "$round pytorch-bf16-keep" "${keep_memory[@]}" "${pytorch[@]}" --dtype bf16
  run "$round percept-bf16" "${percept[@]}"
  run "$round percept-bf16-ckpt" "${percept[@]}" --checkpoint-activations
done

/usr/bin/python3 - "$log" <<'EOF'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    parts = line.split(" ", 2)
    if len(parts) == 3 and parts[2].startswith("{"):
        rows.setdefault(parts[1], {})[int(parts[0])] = json.loads(parts[2])
rounds = sorted({r for v in rows.values() for r in v})
def med(xs):
    return statistics.median(xs) if xs else float("nan")
print("\ncontender                 s/step (median)   triplets/s   peak RSS MB (max)")
for name, per in rows.items():
    print(f"{name:25s} {med([v['seconds_per_step'] for v in per.values()]):10.2f} {med([v['triplets_per_s'] for v in per.values()]):14.3f}"
          f" {max(v['peak_rss_mb'] for v in per.values()):14.0f}")
def ratio(num, dens, key, best):
    out = []
    for r in rounds:
        if num in rows and r in rows[num] and all(d in rows and r in rows[d] for d in dens):
            ref = best(rows[d][r][key] for d in dens)
            out.append(rows[num][r][key] / ref)
    return out
print("\nratios per round, then median")
for num in ("percept-bf16", "percept-bf16-ckpt"):
    s = ratio(num, ("pytorch-bf16", "pytorch-bf16-keep"), "triplets_per_s", max)
    print(f"speed  {num:24s} / best PyTorch bf16: {' '.join(f'{x:.2f}' for x in s)} -> {med(s):.2f}x")
for num in ("percept-bf16", "percept-bf16-ckpt"):
    s = ratio(num, ("pytorch-fp32",), "peak_rss_mb", min)
    print(f"memory {num:24s} / PyTorch fp32 as installed: {' '.join(f'{x:.2f}' for x in s)} -> {med(s):.2f}x")
EOF
