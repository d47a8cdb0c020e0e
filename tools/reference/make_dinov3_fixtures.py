#!/usr/bin/python3
"""Regenerate the DINOv3 parity fixtures under src/test/resources/parity_dinov3/.

Run from anywhere with Debian's interpreter (torch 1.13, numpy):

    /usr/bin/python3 tools/reference/make_dinov3_fixtures.py

Two tiny DINOv3 models (width 64, 2 blocks, 4 heads of width 16, 4 storage tokens,
patch 16, LayerScale, LayerNorm eps 1e-5, 2D RoPE with base 100) with random weights:

- `plain`: the ViT-S/B/L kind: GELU MLP (hidden 128), qkv bias whose key third is
  non-zero in the file but masked out by `bias_mask`, as the hub's LinearKMaskedBias does;
- `swiglu`: the "plus" kind: SwiGLU MLP (ffn ratio 2: int(64 * 2 * 2/3) = 85, aligned up
  to 8 = 88) and no qkv bias (as the 7B).

Each is written in the three released layouts (one case folder each): the original hub
state dict (`<variant>_hub`), timm's Eva port (`<variant>_timm`) and Hugging Face's
DINOv3ViTModel (`<variant>_hf`). The reference is a forward written here from the
upstream definitions (facebookresearch/dinov3 layers/rope_position_encoding.py,
attention.py, block.py, ffn_layers.py, models/vision_transformer.py), run in float64
on exactly the stored float32 values, for a square 48x48 input (3x3 patches) and a
non-square 32x64 one (2x4 patches): RoPE follows the input grid, nothing is resampled.

The hub file stores `rope_embed.periods` rounded to bfloat16 (timm notes the released
checkpoints hold them so); the hub reference uses those stored periods, while timm and
Hugging Face recompute them in float32 from the base, so the hub case's outputs differ
from the other two by about 5e-4 (5x the 1e-4 tolerance): a loader that ignores the stored
periods fails it.

The plain hub case also gets the state dict as the hub distributes it, a `torch.save`
pickle (`plain_pth/dinov3_pretrain.pth`, beside `plain_hub` whose outputs it shares: the same tensors, `rope_embed.periods` stored in
bfloat16 as in the released files); it is read back with `torch.load` and must reproduce
the same outputs.

A second path checks every written folder: it reads the safetensors back, maps the keys
back to hub names with its own inverse rename, and reruns the reference; it must agree
with the saved outputs to 2e-6. The run is deterministic; the whole parity_dinov3/ tree
is deleted and rewritten.
"""

import math
import shutil
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_parity_fixtures import read_safetensors, save_npy, write_json, write_safetensors  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "test" / "resources" / "parity_dinov3"

DIM, DEPTH, HEADS, REGISTERS, PATCH, BATCH = 64, 2, 4, 4, 16, 2
HEAD = DIM // HEADS
ROPE_BASE = 100.0
EPS = 1e-5
INPUTS = {"": (48, 48), "_alt": (32, 64)}
# Distinctive normalisation for the timm config (the pixels are already normalised).
TIMM_MEAN, TIMM_STD = [0.45, 0.46, 0.37], [0.25, 0.26, 0.27]

VARIANTS = {
    # name: (ffn, ffn ratio, qkv bias)
    "plain": ("mlp", 2.0, True),
    "swiglu": ("swiglu", 2.0, False),
}


# ----------------------------------------------------------------------------
# the reference: DINOv3's DinoVisionTransformer, inference path, hub key names


def rope_periods(base, head):
    """periods = base ** (2 j / (head / 2)) for j < head / 4, in float32 as upstream."""
    return base ** (2 * torch.arange(head // 4, dtype=torch.float32) / (head // 2))


def rope_sin_cos(periods, rows, cols):
    """Patch-centre coordinates in [-1, 1] per axis (normalize_coords 'separate')."""
    dtype = periods.dtype
    ys = torch.arange(0.5, rows, dtype=dtype) / rows
    xs = torch.arange(0.5, cols, dtype=dtype) / cols
    coords = torch.stack(torch.meshgrid(ys, xs, indexing="ij"), dim=-1).flatten(0, 1)
    coords = 2.0 * coords - 1.0  # [HW, 2], (y, x)
    angles = 2 * math.pi * coords[:, :, None] / periods[None, None, :]  # [HW, 2, head/4]
    angles = angles.flatten(1, 2).tile(2)  # [HW, head]: [y | x | y | x]
    return torch.sin(angles), torch.cos(angles)


def rotate_half(x):
    first, second = x.chunk(2, dim=-1)
    return torch.cat((-second, first), dim=-1)


def rope_patches(t, sin, cos):
    """Rotates the trailing HW tokens of t [B, heads, N, head]; cls and storage tokens stay."""
    prefix = t.shape[-2] - sin.shape[-2]
    turned = t[:, :, prefix:] * cos + rotate_half(t[:, :, prefix:]) * sin
    return torch.cat((t[:, :, :prefix], turned), dim=-2)


class MaskedQkv(nn.Linear):
    """LinearKMaskedBias: the bias is multiplied by a stored mask (zeros over the key third)."""

    def __init__(self, bias):
        super().__init__(DIM, 3 * DIM, bias=bias)
        if bias:
            mask = torch.ones(3 * DIM)
            mask[DIM : 2 * DIM] = 0
            self.register_buffer("bias_mask", mask)

    def forward(self, x):
        bias = None if self.bias is None else self.bias * self.bias_mask
        return F.linear(x, self.weight, bias)


class Attention(nn.Module):
    def __init__(self, qkv_bias):
        super().__init__()
        self.qkv = MaskedQkv(qkv_bias)
        self.proj = nn.Linear(DIM, DIM)

    def forward(self, x, sin, cos):
        batch, tokens, _ = x.shape
        q, k, v = self.qkv(x).reshape(batch, tokens, 3, HEADS, HEAD).unbind(2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        q, k = rope_patches(q, sin, cos), rope_patches(k, sin, cos)
        weights = torch.softmax((q @ k.transpose(-2, -1)) * HEAD ** -0.5, dim=-1)
        return self.proj((weights @ v).transpose(1, 2).reshape(batch, tokens, DIM))


class Mlp(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(DIM, hidden), nn.Linear(hidden, DIM)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class SwiGLU(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.w1, self.w2 = nn.Linear(DIM, hidden), nn.Linear(DIM, hidden)
        self.w3 = nn.Linear(hidden, DIM)

    def forward(self, x):
        return self.w3(F.silu(self.w1(x)) * self.w2(x))


class LayerScale(nn.Module):
    def __init__(self):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(DIM))

    def forward(self, x):
        return x * self.gamma


class Block(nn.Module):
    def __init__(self, ffn, hidden, qkv_bias):
        super().__init__()
        self.norm1 = nn.LayerNorm(DIM, eps=EPS)
        self.attn = Attention(qkv_bias)
        self.ls1 = LayerScale()
        self.norm2 = nn.LayerNorm(DIM, eps=EPS)
        self.mlp = SwiGLU(hidden) if ffn == "swiglu" else Mlp(hidden)
        self.ls2 = LayerScale()

    def forward(self, x, sin, cos):
        x = x + self.ls1(self.attn(self.norm1(x), sin, cos))
        return x + self.ls2(self.mlp(self.norm2(x)))


def ffn_hidden(ffn, ratio):
    hidden = int(DIM * ratio)
    if ffn == "swiglu":  # SwiGLUFFN: 2/3 of the hidden width, rounded up to a multiple of 8
        d = int(hidden * 2 / 3)
        return d + (-d % 8)
    return hidden


class Dinov3(nn.Module):
    """DinoVisionTransformer at inference: tokens [cls, storage, patches], RoPE per block."""

    def __init__(self, ffn, ratio, qkv_bias):
        super().__init__()
        hidden = ffn_hidden(ffn, ratio)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, DIM))
        self.storage_tokens = nn.Parameter(torch.zeros(1, REGISTERS, DIM))
        self.mask_token = nn.Parameter(torch.zeros(1, DIM))
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(3, DIM, PATCH, PATCH)
        self.rope_embed = nn.Module()
        self.rope_embed.register_buffer("periods", rope_periods(ROPE_BASE, HEAD))
        self.blocks = nn.ModuleList(Block(ffn, hidden, qkv_bias) for _ in range(DEPTH))
        self.norm = nn.LayerNorm(DIM, eps=EPS)

    def forward(self, x):
        batch, _, rows, cols = x.shape
        patches = self.patch_embed.proj(x).flatten(2).transpose(1, 2)
        t = torch.cat((self.cls_token.expand(batch, -1, -1), self.storage_tokens.expand(batch, -1, -1), patches), 1)
        sin, cos = rope_sin_cos(self.rope_embed.periods, rows // PATCH, cols // PATCH)
        for block in self.blocks:
            t = block(t, sin, cos)
        return t, self.norm(t)


def fill_randomly(model, rng):
    """Every parameter visibly matters: LayerNorm 1 + 0.1 N, biases 0.05 N, LayerScale
    0.5 + 0.1 N (large, so the blocks and positions weigh), tokens 0.5 N, matrices N(0, 0.8 / sqrt(fan_in))."""

    def normal(shape, std, mean=0.0):
        # float16-representable values: the files store float16 (small fixtures) with no rounding
        return torch.from_numpy((mean + std * rng.standard_normal(shape)).astype(np.float16).astype(np.float32))

    for owner_name, owner in model.named_modules():
        for name, param in owner.named_parameters(recurse=False):
            shape = tuple(param.shape)
            if isinstance(owner, nn.LayerNorm) and name == "weight":
                value = normal(shape, 0.1, 1.0)
            elif name == "gamma":
                value = normal(shape, 0.1, 0.5)
            elif name in ("cls_token", "storage_tokens", "mask_token"):
                value = normal(shape, 0.5)
            elif name == "bias":
                value = normal(shape, 0.05)
            elif len(shape) >= 2:
                value = normal(shape, min(0.1, max(0.02, 0.8 / math.sqrt(int(np.prod(shape[1:]))))))
            else:
                raise ValueError(f"no initialisation rule for {owner_name}.{name} {shape}")
            param.data = value


# ----------------------------------------------------------------------------
# the three layouts


def hub_state(model):
    """The hub's state dict as torch.save would hold it; periods rounded to bfloat16."""
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    state["rope_embed.periods"] = state["rope_embed.periods"].bfloat16().float()
    return state


def timm_state(hub):
    """timm's checkpoint_filter_fn for DINOv3 (eva.py), applied by hand."""
    out = {}
    for k, v in hub.items():
        if k.endswith((".periods", ".bias_mask")) or k == "mask_token":
            continue
        if k.endswith("attn.qkv.bias"):
            q, _, value = v.chunk(3)
            out[k.replace("qkv.bias", "q_bias")] = q
            out[k.replace("qkv.bias", "v_bias")] = value
            continue
        k = k.replace("ls1.gamma", "gamma_1").replace("ls2.gamma", "gamma_2").replace("storage_tokens", "reg_token")
        k = k.replace("mlp.w1", "mlp.fc1_g").replace("mlp.w2", "mlp.fc1_x").replace("mlp.w3", "mlp.fc2")
        out[k] = v
    return out


HF_MLP = {"fc1": "up_proj", "fc2": "down_proj", "w1": "gate_proj", "w2": "up_proj", "w3": "down_proj"}


def hf_state(hub):
    """transformers' DINOv3ViTModel names: q/k/v/o_proj (no k bias), layer_scale, up/down/gate_proj."""
    out = {
        "embeddings.cls_token": hub["cls_token"],
        "embeddings.mask_token": hub["mask_token"].reshape(1, 1, DIM),
        "embeddings.register_tokens": hub["storage_tokens"],
        "embeddings.patch_embeddings.weight": hub["patch_embed.proj.weight"],
        "embeddings.patch_embeddings.bias": hub["patch_embed.proj.bias"],
        "norm.weight": hub["norm.weight"],
        "norm.bias": hub["norm.bias"],
    }
    for i in range(DEPTH):
        b, l = f"blocks.{i}.", f"layer.{i}."
        for name in ("q", "k", "v"):
            out[f"{l}attention.{name}_proj.weight"] = hub[b + "attn.qkv.weight"].chunk(3)["qkv".index(name)]
        if b + "attn.qkv.bias" in hub:
            q, _, v = hub[b + "attn.qkv.bias"].chunk(3)
            out[l + "attention.q_proj.bias"], out[l + "attention.v_proj.bias"] = q, v
        out[l + "attention.o_proj.weight"] = hub[b + "attn.proj.weight"]
        out[l + "attention.o_proj.bias"] = hub[b + "attn.proj.bias"]
        for norm in ("norm1", "norm2"):
            for p in ("weight", "bias"):
                out[f"{l}{norm}.{p}"] = hub[f"{b}{norm}.{p}"]
        out[l + "layer_scale1.lambda1"] = hub[b + "ls1.gamma"]
        out[l + "layer_scale2.lambda1"] = hub[b + "ls2.gamma"]
        for k, v in hub.items():
            if k.startswith(b + "mlp."):
                module, p = k[len(b + "mlp.") :].split(".")
                out[f"{l}mlp.{HF_MLP[module]}.{p}"] = v
    return out


def hf_config(ffn, ratio, qkv_bias):
    gated = ffn == "swiglu"
    return dict(sorted(dict(
        architectures=["DINOv3ViTModel"], model_type="dinov3_vit", hidden_size=DIM,
        intermediate_size=ffn_hidden(ffn, ratio), num_hidden_layers=DEPTH, num_attention_heads=HEADS,
        hidden_act="silu" if gated else "gelu", attention_dropout=0.0, initializer_range=0.02,
        layer_norm_eps=EPS, rope_theta=ROPE_BASE, image_size=224, patch_size=PATCH, num_channels=3,
        query_bias=qkv_bias, key_bias=False, value_bias=qkv_bias, proj_bias=True, mlp_bias=True,
        layerscale_value=1.0, drop_path_rate=0.0, use_gated_mlp=gated, num_register_tokens=REGISTERS,
        pos_embed_shift=None, pos_embed_jitter=None, pos_embed_rescale=2.0, torch_dtype="float32",
        transformers_version="4.56.0").items()))


def timm_config(ffn, qkv_bias):
    arch = "vit_small_plus_patch16_dinov3" if ffn == "swiglu" else "vit_small_patch16_dinov3"
    return {
        "architecture": arch + ("_qkvb" if qkv_bias else ""),
        "num_classes": 0,
        "num_features": DIM,
        "global_pool": "avg",
        "model_args": {"embed_dim": DIM, "depth": DEPTH, "num_heads": HEADS},
        "pretrained_cfg": {
            "tag": "lvd1689m", "custom_load": False, "input_size": [3, 256, 256], "fixed_input_size": True,
            "interpolation": "bicubic", "crop_pct": 1.0, "crop_mode": "center", "mean": TIMM_MEAN,
            "std": TIMM_STD, "num_classes": 0, "pool_size": None, "first_conv": "patch_embed.proj",
            "classifier": "head", "license": "dinov3-license",
        },
    }


def arrays(state):
    return {k: v.detach().numpy().astype("<f2") for k, v in state.items()}  # exact: see fill_randomly


# --- the second path: back from each layout to hub names ---------------------


def hub_from_timm(t):
    gated = any(".mlp.fc1_g." in k for k in t)
    out = {}
    for k, v in t.items():
        if k.endswith("attn.q_bias"):
            out[k.replace("q_bias", "qkv.bias")] = torch.cat((v, torch.zeros(DIM), t[k.replace("q_bias", "v_bias")]))
            continue
        if k.endswith("attn.v_bias"):
            continue
        k = k.replace("gamma_1", "ls1.gamma").replace("gamma_2", "ls2.gamma").replace("reg_token", "storage_tokens")
        k = k.replace("mlp.fc1_g", "mlp.w1").replace("mlp.fc1_x", "mlp.w2")
        if gated:
            k = k.replace("mlp.fc2", "mlp.w3")
        out[k] = v
    return out


def hub_from_hf(h):
    gated = any(".gate_proj." in k for k in h)
    back = {"up_proj": "w2", "gate_proj": "w1", "down_proj": "w3"} if gated else {"up_proj": "fc1", "down_proj": "fc2"}
    out = {
        "cls_token": h["embeddings.cls_token"],
        "storage_tokens": h["embeddings.register_tokens"],
        "mask_token": h["embeddings.mask_token"].reshape(1, DIM),
        "patch_embed.proj.weight": h["embeddings.patch_embeddings.weight"],
        "patch_embed.proj.bias": h["embeddings.patch_embeddings.bias"],
        "norm.weight": h["norm.weight"],
        "norm.bias": h["norm.bias"],
    }
    for i in range(DEPTH):
        b, a = f"blocks.{i}.", f"layer.{i}.attention."
        out[b + "attn.qkv.weight"] = torch.cat([h[f"{a}{n}_proj.weight"] for n in "qkv"])
        if a + "q_proj.bias" in h:
            out[b + "attn.qkv.bias"] = torch.cat((h[a + "q_proj.bias"], torch.zeros(DIM), h[a + "v_proj.bias"]))
        out[b + "attn.proj.weight"], out[b + "attn.proj.bias"] = h[a + "o_proj.weight"], h[a + "o_proj.bias"]
        out[b + "ls1.gamma"] = h[f"layer.{i}.layer_scale1.lambda1"]
        out[b + "ls2.gamma"] = h[f"layer.{i}.layer_scale2.lambda1"]
        for k, v in h.items():
            if k.startswith(f"layer.{i}.norm"):
                out[b + k[len(f"layer.{i}.") :]] = v
            elif k.startswith(f"layer.{i}.mlp."):
                module, p = k[len(f"layer.{i}.mlp.") :].split(".")
                out[f"{b}mlp.{back[module]}.{p}"] = v
    return out


def reference(variant, state, periods):
    """The reference in float64 on a hub-named state dict; `periods` where the dict has none,
    and the unused mask_token (and the fixed bias_mask) filled in where a layout drops them."""
    ffn, ratio, qkv_bias = VARIANTS[variant]
    model = Dinov3(ffn, ratio, qkv_bias)
    state = dict(state)
    state.setdefault("rope_embed.periods", periods)
    state.setdefault("mask_token", torch.zeros(1, DIM))
    if qkv_bias:
        for i in range(DEPTH):
            state.setdefault(f"blocks.{i}.attn.qkv.bias_mask", model.blocks[i].attn.qkv.bias_mask)
    model.load_state_dict(state, strict=True)
    return model.double().eval()


# ----------------------------------------------------------------------------


def main():
    torch.set_num_threads(1)  # one thread: reductions in a fixed order, byte-identical reruns
    if OUT.exists():
        shutil.rmtree(OUT)
    for seed, (variant, (ffn, ratio, qkv_bias)) in enumerate(VARIANTS.items(), start=707):
        rng = np.random.default_rng(seed)
        model = Dinov3(ffn, ratio, qkv_bias)
        fill_randomly(model, rng)
        hub = hub_state(model)
        if qkv_bias:
            for i in range(DEPTH):  # a non-zero key bias in the file: only the mask keeps it out
                assert hub[f"blocks.{i}.attn.qkv.bias"][DIM : 2 * DIM].abs().max() > 0.01
        derived = rope_periods(ROPE_BASE, HEAD)
        assert (hub["rope_embed.periods"] - derived).abs().max() > 1e-3, "bf16 rounding should change a period"
        pixels = {s: rng.standard_normal((BATCH, 3, r, c)).astype(np.float32) for s, (r, c) in INPUTS.items()}
        layouts = {
            "hub": (arrays(hub), None, hub["rope_embed.periods"]),
            "timm": (arrays(timm_state(hub)), timm_config(ffn, qkv_bias), derived),
            "hf": (arrays(hf_state(hub)), hf_config(ffn, ratio, qkv_bias), derived),
        }
        for layout, (tensors, config, periods) in layouts.items():
            folder = OUT / f"{variant}_{layout}"
            (folder / "model").mkdir(parents=True)
            write_safetensors(folder / "model" / "model.safetensors", tensors)
            if config is not None:
                write_json(folder / "model" / "config.json", config)
            first = reference(variant, {**hub, "rope_embed.periods": periods}, None)
            back = read_safetensors(folder / "model" / "model.safetensors")
            back = {"hub": lambda s: s, "timm": hub_from_timm, "hf": hub_from_hf}[layout](
                {k: torch.from_numpy(v.copy()) for k, v in back.items()})
            second = reference(variant, back, periods)
            report = [f"{folder.name:13}"]
            for suffix, x in pixels.items():
                np.save(folder / f"pixels{suffix}.npy", x)
                with torch.no_grad():
                    tokens, normed = first(torch.from_numpy(x).double())
                    again = second(torch.from_numpy(x).double())
                rows, cols = x.shape[2] // PATCH, x.shape[3] // PATCH
                assert tuple(tokens.shape) == (BATCH, 1 + REGISTERS + rows * cols, DIM), tokens.shape
                for name, value, other in (("tokens", tokens, again[0]), ("normed", normed, again[1])):
                    save_npy(folder / f"{name}{suffix}.npy", value)
                    saved = np.load(folder / f"{name}{suffix}.npy")
                    peak, spread = float(np.abs(saved).max()), float(saved.std())
                    gap = float(np.abs(saved.astype(np.float64) - other.numpy()).max())
                    assert 0.3 < peak < 30 and spread > 0.1, f"{folder.name}{suffix} {name}: max {peak}, std {spread}"
                    assert gap < 2e-6, f"{folder.name}{suffix} {name}: second path differs by {gap}"
                    report.append(f"{name}{suffix} max|v| {peak:5.2f} std {spread:4.2f} gap {gap:.0e}")
            write_json(folder / "case.json", {
                "layout": {"hub": "dinov3-hub", "timm": "timm-dinov3", "hf": "hf-dinov3"}[layout],
                "variant": variant, "ffn": ffn, "ffn_hidden": ffn_hidden(ffn, ratio), "qkv_bias": qkv_bias,
                "registers": REGISTERS, "inputs": {s or "main": list(rc) for s, rc in INPUTS.items()},
                "periods": [float(p) for p in periods],
            })
            if layout == "hub" and variant == "plain":
                (OUT / "plain_pth").mkdir()
                pth = OUT / "plain_pth" / "dinov3_pretrain.pth"
                stored = {k: v.half() for k, v in hub.items()}
                stored["rope_embed.periods"] = stored["rope_embed.periods"].bfloat16()
                torch.save(stored, pth)
                loaded = torch.load(pth)
                assert loaded["rope_embed.periods"].dtype == torch.bfloat16
                again = reference(variant, {k: v.float() for k, v in loaded.items()}, None)
                for suffix, x in pixels.items():
                    with torch.no_grad():
                        tokens = again(torch.from_numpy(x).double())[0].numpy()
                    gap = float(np.abs(np.load(folder / f"tokens{suffix}.npy") - tokens).max())
                    assert gap < 2e-6, f"{pth.name}{suffix}: torch.load path differs by {gap}"
                report.append(f"+ {pth.name} ({pth.stat().st_size} bytes)")
            print("  ".join(report))
        hub_tokens = np.load(OUT / f"{variant}_hub" / "tokens.npy")
        timm_tokens = np.load(OUT / f"{variant}_timm" / "tokens.npy")
        hf_tokens = np.load(OUT / f"{variant}_hf" / "tokens.npy")
        print(f"{variant}: hub vs timm (stored vs derived periods) {np.abs(hub_tokens - timm_tokens).max():.1e}, "
              f"timm vs hf {np.abs(timm_tokens - hf_tokens).max():.1e}")
        assert np.abs(hub_tokens - timm_tokens).max() > 3e-4  # several times the Java tolerance of 1e-4
        assert np.abs(timm_tokens - hf_tokens).max() < 1e-6
    sizes = {p.name: sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) for p in OUT.iterdir()}
    for name, size in sizes.items():
        assert size < 1_000_000, f"{name} is {size} bytes"
    print("bytes per case:", sizes)


if __name__ == "__main__":
    main()
