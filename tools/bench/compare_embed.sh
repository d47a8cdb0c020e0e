#!/usr/bin/env bash
# ViT-B/16 embedding speed and memory: PyTorch eager (Debian's python3-torch 1.13) and percept, at
# fp32 and bf16, in one run on the same machine, same threads and batch, interleaved over rounds so
# that a noisy neighbour hurts every contender alike. PyTorch runs as installed and with glibc told to
# keep freed memory (its best setting on VMs where a fresh page is slow); percept runs through its
# launcher (which sets that glibc tuning itself).
# Every percept line also carries the GEMM ceilings measured in that run; the launcher's run also
# prints a per-operation profile of one block.
# Needs: apt-get install python3-torch python3-torchvision libopenblas0-openmp.
# Usage: [PRECISIONS="fp32 bf16"] tools/bench/compare_embed.sh [threads] [seconds per measurement] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
threads="${1:-2}"
seconds="${2:-30}"
rounds="${3:-3}"
source tools/bench/bench_env.sh
tuned=(env MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736)
./percept --version >/dev/null # build first, outside the measurements
for round in $(seq "$rounds"); do
  for p in ${PRECISIONS:-fp32 bf16}; do
    echo "== round $round: PyTorch eager $p, as installed"
    /usr/bin/python3 tools/bench/pytorch_eager_embed.py --threads "$threads" --batch 16 --seconds "$seconds" --precision "$p"
    echo "== round $round: PyTorch eager $p, malloc tuned"
    "${tuned[@]}" /usr/bin/python3 tools/bench/pytorch_eager_embed.py --threads "$threads" --batch 16 --seconds "$seconds" \
      --precision "$p"
    echo "== round $round: percept $p, launcher"
    ./percept bench embed --model random-vit-b16 --batch 16 --threads "$threads" --precision "$p" --seconds "$seconds" \
      --profile 2>/dev/null
  done
done
