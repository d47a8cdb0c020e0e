#!/usr/bin/python3
"""PyTorch-eager baseline for percept's alignment benchmark (`percept bench align`).

One DreamSim-style LoRA step in plain PyTorch: a ViT-B/16 (timm's block layout: fused qkv,
exact GELU, LayerNorm eps 1e-6, random weights, nothing downloaded) with frozen weights and
LoRA (r 16, alpha 32, dropout 0.2) on every block's qkv, the class token before the final
norm as the feature, 1 - cos distances, the hinge loss (margin 0.05), backward, and Adam
(betas 0.5, 0.999) on the LoRA weights only. Attention is matmul + softmax (torch 1.13 has
no fused kernel). One warm-up step, then steps until the time budget is spent.

--dtype bf16 runs the frozen weights and the activations in bfloat16 (`.bfloat16()` on the
frozen modules, bf16 pixels) and keeps the LoRA weights, their gradients and Adam's moments in
float32, cast to bf16 in each forward: the recipe percept's bf16 path uses, and the fastest
PyTorch bf16 LoRA step found here (autocast re-casts the frozen weights in every forward).

    /usr/bin/python3 tools/bench/pytorch_eager_lora.py --threads 2 --batch 8 --seconds 60 [--dtype bf16]

Prints one JSON line:
{"triplets_per_s": ..., "seconds_per_step": ..., "peak_rss_mb": ..., "threads": ..., "batch": ..., "torch": "..."}
"""

import argparse
import json
import os
import resource
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # read by OpenMP when torch loads

import torch  # noqa: E402
from torch import nn  # noqa: E402

DIM, DEPTH, HEADS, MLP, PATCH, IMAGE = 768, 12, 12, 3072, 16, 224


class LoraLinear(nn.Module):
    def __init__(self, base, rank, alpha, dropout):
        super().__init__()
        self.base = base
        self.lora_A = nn.Parameter(torch.empty(rank, base.in_features).uniform_(-base.in_features ** -0.5,
                                                                                base.in_features ** -0.5))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, rank))
        self.scale = alpha / rank
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        a, b = self.lora_A.to(x.dtype), self.lora_B.to(x.dtype)
        return self.base(x) + self.scale * (self.dropout(x) @ a.T) @ b.T


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.LayerNorm(DIM, eps=1e-6)
        self.qkv = nn.Linear(DIM, 3 * DIM)
        self.proj = nn.Linear(DIM, DIM)
        self.norm2 = nn.LayerNorm(DIM, eps=1e-6)
        self.fc1 = nn.Linear(DIM, MLP)
        self.fc2 = nn.Linear(MLP, DIM)

    def attention(self, x):
        b, t, _ = x.shape
        q, k, v = self.qkv(x).reshape(b, t, 3, HEADS, DIM // HEADS).permute(2, 0, 3, 1, 4)
        weights = torch.softmax((q * (DIM // HEADS) ** -0.5) @ k.transpose(-2, -1), dim=-1)
        return self.proj((weights @ v).transpose(1, 2).reshape(b, t, DIM))

    def forward(self, x):
        x = x + self.attention(self.norm1(x))
        return x + self.fc2(nn.functional.gelu(self.fc1(self.norm2(x))))


class ViT(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch = nn.Conv2d(3, DIM, PATCH, PATCH)
        self.cls_token = nn.Parameter(torch.randn(1, 1, DIM) * 0.02)
        self.pos_embed = nn.Parameter(torch.randn(1, (IMAGE // PATCH) ** 2 + 1, DIM) * 0.02)
        self.blocks = nn.ModuleList(Block() for _ in range(DEPTH))

    def forward(self, x):
        t = self.patch(x).flatten(2).transpose(1, 2)
        t = torch.cat((self.cls_token.expand(t.shape[0], -1, -1), t), dim=1) + self.pos_embed
        for block in self.blocks:
            t = block(t)
        return t[:, 0]


def main():
    parser = argparse.ArgumentParser(description="PyTorch eager LoRA alignment step, ViT-B/16")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=8, help="triplets per step")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--dtype", choices=("fp32", "bf16"), default="fp32",
                        help="precision of the frozen weights and activations")
    args = parser.parse_args()
    dtype = torch.bfloat16 if args.dtype == "bf16" else torch.float32

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = ViT()
    for p in model.parameters():
        p.requires_grad_(False)
    model.to(dtype)  # before LoRA is attached: its weights stay float32
    for block in model.blocks:
        block.qkv = LoraLinear(block.qkv, 16, 32.0, 0.2)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=3e-4, betas=(0.5, 0.999))
    pixels = torch.randn(3 * args.batch, 3, IMAGE, IMAGE).to(dtype)
    target = torch.tensor([1.0 if i % 2 == 0 else -1.0 for i in range(args.batch)])

    def step():
        features = model(pixels).float()
        ref, left, right = features.split(args.batch)
        d0 = 1 - nn.functional.cosine_similarity(ref, left, dim=1)
        d1 = 1 - nn.functional.cosine_similarity(ref, right, dim=1)
        loss = torch.clamp(0.05 - (d0 - d1) * target, min=0).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    step()
    start, steps = time.perf_counter(), 0
    while steps < 2 or time.perf_counter() - start < args.seconds:
        step()
        steps += 1
    per_step = (time.perf_counter() - start) / steps
    print(json.dumps({
        "triplets_per_s": round(args.batch / per_step, 4), "seconds_per_step": round(per_step, 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "threads": args.threads, "batch": args.batch, "dtype": args.dtype, "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
