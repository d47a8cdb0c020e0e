#!/usr/bin/env bash
# ViT-B/16 embedding speed and memory: PyTorch eager (Debian's python3-torch) and percept, in one
# run on the same machine, same threads and batch, interleaved over several rounds so that a noisy
# neighbour hurts every contender alike. Needs: apt-get install python3-torch python3-torchvision
# libopenblas0-openmp.
# Usage: tools/bench/compare_embed.sh [threads] [seconds per measurement] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
threads="${1:-2}"
seconds="${2:-30}"
rounds="${3:-3}"
export OMP_WAIT_POLICY=PASSIVE
./percept --version >/dev/null # build first, outside the measurements
for round in $(seq "$rounds"); do
  echo "== round $round: PyTorch eager fp32 (torchvision vit_b_16, random weights)"
  /usr/bin/python3 tools/bench/pytorch_eager_embed.py --threads "$threads" --batch 16 --seconds "$seconds"
  # The same with glibc told never to hand freed memory back to the kernel: on VMs where a fresh
  # page costs a hypervisor round trip, this is PyTorch's best case.
  echo "== round $round: PyTorch eager fp32, MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=64G"
  MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736 \
    /usr/bin/python3 tools/bench/pytorch_eager_embed.py --threads "$threads" --batch 16 --seconds "$seconds"
  for p in fp32 bf16; do
    echo "== round $round: percept $p"
    ./percept bench embed --model random-vit-b16 --batch 16 --threads "$threads" --precision "$p" --seconds "$seconds" \
      2>/dev/null | grep '^{'
    echo "== round $round: percept $p, MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=64G"
    MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736 \
      ./percept bench embed --model random-vit-b16 --batch 16 --threads "$threads" --precision "$p" --seconds "$seconds" \
      2>/dev/null | grep '^{'
  done
done
