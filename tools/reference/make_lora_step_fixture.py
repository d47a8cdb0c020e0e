#!/usr/bin/python3
"""Regenerate the LoRA training-step fixture under src/test/resources/lora_step/.

Run with Debian's interpreter (torch 1.13): /usr/bin/python3 tools/reference/make_lora_step_fixture.py

An independent PyTorch reference for one alignment step on the tiny DINO parity model
(parity/dino_timm/model): LoRA branches (PEFT's formula, scale alpha / r, dropout off) on
every block's fused qkv, the patch-level feature (class token before the final norm,
concatenated with the mean patch token), 1 - cos distances, DreamSim's hinge loss, and
one torch.optim.Adam step with DreamSim's betas. Everything runs in float64 on the stored
float32 weights; the fixture keeps the inputs, the loss, the gradients and the updated
LoRA weights.
"""

import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_parity_fixtures as parity  # noqa: E402  (the reference ViT and safetensors I/O)

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "src" / "test" / "resources" / "parity" / "dino_timm" / "model"
OUT = ROOT / "src" / "test" / "resources" / "lora_step"

RANK, ALPHA, MARGIN, LR, BETAS = 4, 8.0, 0.5, 1e-2, (0.5, 0.999)
TRIPLETS = 3


class LoraQkv(torch.nn.Module):
    """y = W x + b + (alpha / r) * B (A x): PEFT's LoRA Linear without dropout."""

    def __init__(self, base, a, b):
        super().__init__()
        self.base = base
        self.lora_A = torch.nn.Parameter(a)
        self.lora_B = torch.nn.Parameter(b)

    def forward(self, x):
        return self.base(x) + (ALPHA / RANK) * (x @ self.lora_A.T) @ self.lora_B.T


def main():
    torch.manual_seed(0)
    rng = np.random.default_rng(20261201)
    model = parity.HubViT(32)
    state = {k: torch.from_numpy(v.copy()).double() for k, v in parity.read_safetensors(MODEL / "model.safetensors").items()}
    model.load_state_dict(state)
    model = model.double()
    for p in model.parameters():
        p.requires_grad_(False)

    lora = {}
    for i, block in enumerate(model.blocks):
        dim = block.attn.qkv.in_features
        a = rng.uniform(-1 / np.sqrt(dim), 1 / np.sqrt(dim), (RANK, dim)).astype(np.float32)
        b = (0.05 * rng.standard_normal((3 * dim, RANK))).astype(np.float32)  # non-zero: A gets a gradient
        block.attn.qkv = LoraQkv(block.attn.qkv, torch.from_numpy(a).double(), torch.from_numpy(b).double())
        lora[f"blocks.{i}.attn.qkv"] = block.attn.qkv

    pixels = rng.standard_normal((3 * TRIPLETS, 3, 32, 32)).astype(np.float32)  # refs, lefts, rights
    targets = np.array([1.0, -1.0, 1.0], dtype=np.float32)

    tokens, _, _ = model(torch.from_numpy(pixels).double())
    features = torch.cat((tokens[:, 0], tokens[:, 1:].mean(1)), dim=1)
    ref, left, right = features.split(TRIPLETS)
    d0 = 1 - torch.nn.functional.cosine_similarity(ref, left, dim=1)
    d1 = 1 - torch.nn.functional.cosine_similarity(ref, right, dim=1)
    loss = torch.clamp(MARGIN - (d0 - d1) * torch.from_numpy(targets).double(), min=0).mean()
    assert torch.all(MARGIN - (d0 - d1) * torch.from_numpy(targets).double() > 0), "keep every hinge active"
    loss.backward()

    params = [p for m in lora.values() for p in (m.lora_A, m.lora_B)]
    before = {f"{name}.lora_{ab}": getattr(m, f"lora_{ab}").detach().clone() for name, m in lora.items() for ab in "AB"}
    grads = {f"{name}.lora_{ab}": getattr(m, f"lora_{ab}").grad.detach().clone() for name, m in lora.items() for ab in "AB"}
    optimizer = torch.optim.Adam(params, lr=LR, betas=BETAS)
    optimizer.step()
    after = {f"{name}.lora_{ab}": getattr(m, f"lora_{ab}").detach().clone() for name, m in lora.items() for ab in "AB"}

    OUT.mkdir(parents=True, exist_ok=True)
    tensors = {"pixels": pixels, "targets": targets}
    for name in before:
        tensors[f"{name}.init"] = before[name].float().numpy()
        tensors[f"{name}.grad"] = grads[name].float().numpy()
        tensors[f"{name}.after_adam"] = after[name].float().numpy()
    parity.write_safetensors(OUT / "step.safetensors", tensors)
    parity.write_json(OUT / "case.json", {
        "model": "parity/dino_timm/model", "rank": RANK, "alpha": ALPHA, "margin": MARGIN, "lr": LR,
        "betas": list(BETAS), "features": "cls_patch", "loss": float(loss),
        "notes": "float64 reference; one hinge step and one torch.optim.Adam step on LoRA(qkv) of every block",
    })
    print(f"loss {float(loss):.6f}; wrote {OUT}")


if __name__ == "__main__":
    main()
