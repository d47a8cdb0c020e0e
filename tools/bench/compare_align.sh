#!/usr/bin/env bash
# Alignment training speed and memory, ViT-B/16 with LoRA r 16 on qkv, 8 triplets per step:
# PyTorch eager fp32 (Debian's python3-torch) and percept fp32 and bf16, in one run on the same
# machine and threads, interleaved over rounds so that a noisy neighbour hurts every contender.
# Needs: apt-get install python3-torch libopenblas0-openmp.
# Usage: tools/bench/compare_align.sh [threads] [seconds per measurement] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
threads="${1:-2}"
seconds="${2:-60}"
rounds="${3:-2}"
export OMP_WAIT_POLICY=PASSIVE
./percept --version >/dev/null # build first, outside the measurements
for round in $(seq "$rounds"); do
  echo "== round $round: PyTorch eager fp32"
  /usr/bin/python3 tools/bench/pytorch_eager_lora.py --threads "$threads" --batch 8 --seconds "$seconds"
  for p in fp32 bf16; do
    echo "== round $round: percept $p"
    ./percept bench align --model random-vit-b16 --batch 8 --threads "$threads" --precision "$p" --seconds "$seconds" \
      2>/dev/null | grep '^{'
  done
done
