#!/usr/bin/env python3
"""Writes a timm-layout ViT-B/16 state dict with random weights (N(0, 0.02), LayerNorms at 1 and 0)
as a PyTorch file, for benchmarks that need a model folder: turn it into one with
`./percept convert --model OUT.pth --out DIR`. Needs python3-torch.
Usage: make_random_vit_b16.py [OUT.pth]"""
import sys

import torch

WIDTH, DEPTH, PATCH, TOKENS = 768, 12, 16, 197


def main(out):
    torch.manual_seed(0)
    state = {
        "cls_token": torch.randn(1, 1, WIDTH) * 0.02,
        "pos_embed": torch.randn(1, TOKENS, WIDTH) * 0.02,
        "patch_embed.proj.weight": torch.randn(WIDTH, 3, PATCH, PATCH) * 0.02,
        "patch_embed.proj.bias": torch.zeros(WIDTH),
        "norm.weight": torch.ones(WIDTH),
        "norm.bias": torch.zeros(WIDTH),
    }
    linears = {"attn.qkv": (3 * WIDTH, WIDTH), "attn.proj": (WIDTH, WIDTH),
               "mlp.fc1": (4 * WIDTH, WIDTH), "mlp.fc2": (WIDTH, 4 * WIDTH)}
    for block in range(DEPTH):
        prefix = f"blocks.{block}."
        for norm in ("norm1", "norm2"):
            state[prefix + norm + ".weight"] = torch.ones(WIDTH)
            state[prefix + norm + ".bias"] = torch.zeros(WIDTH)
        for name, (rows, cols) in linears.items():
            state[prefix + name + ".weight"] = torch.randn(rows, cols) * 0.02
            state[prefix + name + ".bias"] = torch.zeros(rows)
    torch.save(state, out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "vitb16.pth")
