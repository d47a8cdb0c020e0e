#!/usr/bin/python3
"""PyTorch-eager speed baseline that percept's Java embedding benchmark is compared against.

torchvision vit_b_16 with random weights (nothing downloaded) and the classifier head
removed, so a forward yields the 768-d embedding; fp32, or bf16 with --precision bf16
(model.bfloat16()); eval mode, torch.no_grad(), a few
warm-up batches, then random 224x224 batches until the time budget is spent. Only the
forward passes are timed.

Run it with OpenMP's passive wait policy, as the Java benchmark is run, so idle worker
threads sleep instead of spinning on the shared cores:

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 tools/bench/pytorch_eager_embed.py \\
        --threads 2 --batch 16 --seconds 30

(The script sets OMP_WAIT_POLICY=PASSIVE itself before torch loads when it is unset.)
Prints one JSON line:
{"images_per_s": ..., "peak_rss_mb": ..., "threads": ..., "batch": ..., "precision": "...", "torch": "..."}
"""

import argparse
import json
import os
import resource
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # read by OpenMP when torch loads

import torch  # noqa: E402
import torchvision  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description="PyTorch eager ViT-B/16 embedding throughput")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads")
    parser.add_argument("--batch", type=int, default=16, help="images per forward")
    parser.add_argument("--seconds", type=float, default=30.0, help="time budget for the timed batches")
    parser.add_argument("--warmup", type=int, default=2, help="untimed batches first")
    parser.add_argument("--precision", choices=["fp32", "bf16"], default="fp32",
                        help="bf16: the whole model cast with model.bfloat16(), as a user would")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = torchvision.models.vit_b_16(weights=None)
    model.heads = torch.nn.Identity()
    model.eval()
    dtype = torch.bfloat16 if args.precision == "bf16" else torch.float32
    model.to(dtype)

    def batch():
        return torch.randn(args.batch, 3, 224, 224).to(dtype)

    with torch.no_grad():
        for _ in range(args.warmup):
            model(batch())
        images, busy = 0, 0.0
        deadline = time.perf_counter() + args.seconds
        while images == 0 or time.perf_counter() < deadline:
            x = batch()
            start = time.perf_counter()
            model(x)
            busy += time.perf_counter() - start
            images += args.batch

    print(json.dumps({
        "images_per_s": round(images / busy, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),  # KiB on Linux
        "threads": args.threads,
        "batch": args.batch,
        "precision": args.precision,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
