#!/usr/bin/python3
"""Regenerate the DreamSim release fixtures under src/test/resources/dreamsim/.

Run with Debian's interpreter (torch 1.13, torchvision 0.14, Pillow, numpy):

    /usr/bin/python3 tools/reference/make_dreamsim_fixtures.py

Three of DreamSim's released checkpoints, rebuilt with tiny random weights in the exact layout
of the release (zip entry names, torch.save pickles, PEFT folders), as served by the two hosts
DreamSim's code downloads from:

    releases/<tag>/dreamsim_<type>_checkpoint.zip   GitHub release assets
    fbaipublicfiles/dino/..., fbaipublicfiles/dinov2/...   torch.hub checkpoints (DINO, DINOv2)

- `ensemble` (v0.2.0): DINO ViT-B/16 (hub file, not in the zip), CLIP and OpenCLIP ViT-B/16 as
  DreamSim converts them ({'state_dict': timm keys + 'proj'}, `pos_drop` a LayerNorm), the DINO
  training checkpoint the zip carries for its projection head, and `ensemble_lora/` with
  `adapter_model.safetensors` (modules of the three backbones under extractor_list.0/1/2).
- `synclr_vitb16` (v0.2.1): `synclr_vit_b_16.pth` ({'model': module.visual.* keys}) and
  `synclr_vitb16_single_lora/` with `adapter_model.bin` (a torch.save'd state dict).
- `dinov2_vitb14_patch` (v0.2.1): DINOv2 ViT-B/14 from its hub file (LayerScale, a mask token, a
  5x5 trained position grid resampled to 16x16 at 224 the hub way) and
  `dinov2_vitb14_patch_lora/`.

The names keep the real files' names; the networks are tiny (width 48, 2 blocks, 1 head: DINO's
ViT-B rule heads = width / 64 gives at least 1; MLP 96) so each file stays small. The
reference below is written from DreamSim's code (dreamsim/model.py, feature_extraction/):
preprocessing with PIL and torchvision (convert RGB, Resize((224, 224), BICUBIC), ToTensor,
Normalize per backbone), each backbone's forward with PEFT's LoRA branch on qkv (unmerged,
dropout off, scale alpha / r), the features (cls before the final norm; CLIP/OpenCLIP
norm(x)[:, 0] @ proj), DreamSim's embed() normalisation (centre, then L2) and its distance; for
the patch model every token centred and L2-normalised, distance 1 - cos([cls, mean of patches]).
It runs in float64 on the stored float32 weights. Deterministic; the dreamsim/ tree is rewritten.
"""

import io
import json
import math
import shutil
import sys
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn
from torchvision import transforms

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_parity_fixtures as parity  # noqa: E402  (fill_randomly, write_safetensors)

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "test" / "resources" / "dreamsim"
IMAGES = ["jpeg_photo.jpg", "resize_source.png", "png_rgba.png"]
PAIRS = [(0, 1), (0, 2), (1, 2)]

WIDTH, DEPTH, MLP = 48, 2, 96
HEADS = max(1, WIDTH // 64)
EMBED = 24  # CLIP / OpenCLIP projection width
RANK = 4

IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
CLIP_MEAN, CLIP_STD = (0.48145466, 0.4578275, 0.40821073), (0.26862954, 0.26130258, 0.27577711)


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class LoraLinear(nn.Module):
    """PEFT's LoRA Linear in eval mode: W x + b + (alpha / r) B (A x)."""

    def __init__(self, base):
        super().__init__()
        self.base = base
        self.scale = 0.0
        self.lora_A = None
        self.lora_B = None

    def forward(self, x):
        y = self.base(x)
        if self.lora_A is not None:
            y = y + self.scale * (x @ self.lora_A.T) @ self.lora_B.T
        return y


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(WIDTH, 3 * WIDTH)
        self.proj = nn.Linear(WIDTH, WIDTH)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, HEADS, c // HEADS).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = ((q @ k.transpose(-2, -1)) * (c // HEADS) ** -0.5).softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, c))


class Mlp(nn.Module):
    def __init__(self, act):
        super().__init__()
        self.fc1 = nn.Linear(WIDTH, MLP)
        self.act = act
        self.fc2 = nn.Linear(MLP, WIDTH)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class LayerScale(nn.Module):
    def __init__(self):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(WIDTH))

    def forward(self, x):
        return x * self.gamma


class Block(nn.Module):
    def __init__(self, eps, act, layer_scale):
        super().__init__()
        self.norm1 = nn.LayerNorm(WIDTH, eps=eps)
        self.attn = Attention()
        self.norm2 = nn.LayerNorm(WIDTH, eps=eps)
        self.mlp = Mlp(act)
        if layer_scale:
            self.ls1, self.ls2 = LayerScale(), LayerScale()
        else:
            self.ls1 = self.ls2 = nn.Identity()

    def forward(self, x):
        x = x + self.ls1(self.attn(self.norm1(x)))
        return x + self.ls2(self.mlp(self.norm2(x)))


class PatchEmbed(nn.Module):
    def __init__(self, patch):
        super().__init__()
        self.proj = nn.Conv2d(3, WIDTH, patch, patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class Vit(nn.Module):
    """DINO's VisionTransformer as DreamSim uses it (feature_extraction/vision_transformer.py), with
    the two changes its CLIP loaders make (pos_drop a LayerNorm, eps 1e-5, QuickGELU for CLIP) and
    DINOv2's LayerScale and mask token."""

    def __init__(self, patch, grid, eps=1e-6, act=None, ln_pre=False, layer_scale=False, mask_token=False):
        super().__init__()
        self.patch = patch
        self.patch_embed = PatchEmbed(patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, WIDTH))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + grid * grid, WIDTH))
        if mask_token:
            self.mask_token = nn.Parameter(torch.zeros(1, WIDTH))
        self.pos_drop = nn.LayerNorm(WIDTH, eps=eps) if ln_pre else nn.Identity()
        self.blocks = nn.ModuleList(Block(eps, act or nn.GELU(), layer_scale) for _ in range(DEPTH))
        self.norm = nn.LayerNorm(WIDTH, eps=eps)
        self.resize_in_float32 = mask_token

    def interpolate_pos_encoding(self, npatch, w, h):
        n = self.pos_embed.shape[1] - 1
        if npatch == n and w == h:
            return self.pos_embed
        m = int(math.sqrt(n))
        w0, h0 = w // self.patch + 0.1, h // self.patch + 0.1
        grid = self.pos_embed[:, 1:].reshape(1, m, m, -1).permute(0, 3, 1, 2)
        # DINOv2's hub code resamples in float32 whatever the model's dtype; DINO's does not cast.
        source = grid.float() if self.resize_in_float32 else grid
        grid = F.interpolate(source, scale_factor=(w0 / m, h0 / m), mode="bicubic", align_corners=False)
        grid = grid.to(self.pos_embed.dtype).permute(0, 2, 3, 1).reshape(1, -1, WIDTH)
        return torch.cat((self.pos_embed[:, :1], grid), dim=1)

    def tokens(self, x):
        """The last block's output (what DreamSim's hook on block 11 sees)."""
        _, _, w, h = x.shape
        x = self.patch_embed(x)
        x = torch.cat((self.cls_token.expand(x.shape[0], -1, -1), x), dim=1)
        x = self.pos_drop(x + self.interpolate_pos_encoding(x.shape[1] - 1, w, h))
        for block in self.blocks:
            x = block(x)
        return x

    def forward(self, x):
        return self.norm(self.tokens(x))[:, 0]


def backbone(rng, kind):
    patch, grid = (14, 5) if kind == "dinov2" else (16, 14)
    clip = kind in ("clip", "open_clip")
    model = Vit(patch, grid, eps=1e-5 if clip else 1e-6, act=QuickGELU() if kind == "clip" else None,
                ln_pre=clip, layer_scale=kind == "dinov2", mask_token=kind == "dinov2")
    if clip:
        model.proj = nn.Parameter(torch.zeros(WIDTH, EMBED))
    parity.fill_randomly(model, rng)
    # Stronger patch weights than the parity models': the images, not the learned tokens, should
    # dominate the features, so that distances between the test images are far from zero.
    model.patch_embed.proj.weight.data *= 8
    model.cls_token.data *= 0.1
    model.pos_embed.data *= 0.1
    for block in model.blocks:
        for scale in (block.ls1, block.ls2):
            if isinstance(scale, LayerScale):
                scale.gamma.data *= 5
    return model


def timm_state(model):
    """The state dict under DINO's names, as DINO's hub file and DreamSim's conversions store it."""
    return OrderedDict((k, v.detach().clone()) for k, v in model.state_dict().items())


def lora_weights(rng, models):
    """PEFT's keys for DreamSim's PerceptualModel: extractor_list.<i>.model.blocks.<j>.attn.qkv."""
    weights = OrderedDict()
    for i, model in enumerate(models):
        for j in range(DEPTH):
            key = f"base_model.model.extractor_list.{i}.model.blocks.{j}.attn.qkv"
            weights[key + ".lora_A.weight"] = torch.from_numpy(
                (0.2 * rng.standard_normal((RANK, WIDTH))).astype(np.float32))
            weights[key + ".lora_B.weight"] = torch.from_numpy(
                (0.2 * rng.standard_normal((3 * WIDTH, RANK))).astype(np.float32))
    return weights


def adapter_config(alpha, dropout):
    # The fields DreamSim reads (r, lora_alpha, lora_dropout, bias, target_modules) and PEFT's others.
    return {
        "base_model_name_or_path": None, "bias": "none", "fan_in_fan_out": False, "inference_mode": True,
        "init_lora_weights": True, "layers_pattern": None, "layers_to_transform": None, "lora_alpha": alpha,
        "lora_dropout": dropout, "modules_to_save": None, "peft_type": "LORA", "r": RANK, "revision": None,
        "target_modules": ["qkv"], "task_type": None,
    }


def apply_lora(models, weights, scale):
    for i, model in enumerate(models):
        for j, block in enumerate(model.blocks):
            key = f"base_model.model.extractor_list.{i}.model.blocks.{j}.attn.qkv"
            lora = LoraLinear(block.attn.qkv)
            lora.lora_A = weights[key + ".lora_A.weight"].double()
            lora.lora_B = weights[key + ".lora_B.weight"].double()
            lora.scale = scale
            block.attn.qkv = lora


def torch_bytes(obj):
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def write_zip(path, entries):
    """The zip as `zip -r` makes it: a folder entry before its files, deflated content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        folders = set()
        for name, data in entries.items():
            if "/" in name and name.split("/")[0] not in folders:
                folders.add(name.split("/")[0])
                z.writestr(zipfile.ZipInfo(name.split("/")[0] + "/", date_time=(2023, 6, 1, 0, 0, 0)), b"")
            info = zipfile.ZipInfo(name, date_time=(2023, 6, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def safetensors_bytes(tensors):
    tmp = OUT / ".tmp.safetensors"
    parity.write_safetensors(tmp, {k: v.numpy() for k, v in tensors.items()})
    data = tmp.read_bytes()
    tmp.unlink()
    return data


# ----------------------------------------------------------------------------
# DreamSim's preprocessing, features, embedding and distance


def pixels(image, mean, std):
    img = Image.open(ROOT / "src" / "test" / "resources" / "images" / image).convert("RGB")
    t = transforms.Compose([
        transforms.Resize((224, 224), interpolation=transforms.InterpolationMode.BICUBIC),
        transforms.ToTensor(),
        transforms.Normalize(mean=mean, std=std),
    ])
    return t(img).unsqueeze(0).double()


def feature(model, kind, image, feat):
    mean, std = (CLIP_MEAN, CLIP_STD) if kind in ("clip", "open_clip") else (IMAGENET_MEAN, IMAGENET_STD)
    x = pixels(image, mean, std)
    if feat == "embedding":
        return model(x) @ model.proj
    tokens = model.tokens(x)
    return tokens[:, 0] if feat == "cls" else tokens


def normalize_embedding(embed):
    embed = embed - embed.mean(dim=1, keepdim=True)
    return embed / embed.norm(dim=1, keepdim=True)


def reference(members, patch):
    """DreamSim's embedding of each image and its distance for each pair."""
    rows = []
    for image in IMAGES:
        if patch:
            model, kind = members[0]
            tokens = feature(model, kind, image, "cls_patch")[0]
            tokens = tokens - tokens.mean(dim=1, keepdim=True)
            tokens = tokens / tokens.norm(dim=1, keepdim=True)
            rows.append(torch.cat((tokens[0], tokens[1:].mean(dim=0))))
        else:
            feats = [feature(m, k, image, "cls" if k in ("dino", "dinov2", "synclr") else "embedding")[0]
                     for m, k in members]
            rows.append(normalize_embedding(torch.cat(feats).unsqueeze(0))[0])
    embeddings = torch.stack(rows).detach()
    distances = [float(1 - F.cosine_similarity(embeddings[a:a + 1], embeddings[b:b + 1]).item()) for a, b in PAIRS]
    return embeddings, distances


# ----------------------------------------------------------------------------


def main():
    torch.set_num_threads(1)
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    rng = np.random.default_rng(20261202)
    releases = OUT / "releases"
    hub = OUT / "fbaipublicfiles"
    cases = {}

    # --- ensemble: DINO (hub file), CLIP, OpenCLIP; alpha 2, r 4 (scale 0.5, as DreamSim's 8 / 16)
    dino, clip, open_clip = backbone(rng, "dino"), backbone(rng, "clip"), backbone(rng, "open_clip")
    dino_file = hub / "dino" / "dino_vitbase16_pretrain" / "dino_vitbase16_pretrain.pth"
    dino_file.parent.mkdir(parents=True)
    dino_file.write_bytes(torch_bytes(timm_state(dino)))
    head = OrderedDict((f"module.head.mlp.{i}.weight", torch.from_numpy(
        (0.1 * rng.standard_normal((8, 8))).astype(np.float32))) for i in (0, 2, 4))
    training = {"student": head, "teacher": OrderedDict(head), "epoch": 100}
    lora = lora_weights(rng, [dino, clip, open_clip])
    entries = OrderedDict()
    entries["ensemble_lora/adapter_config.json"] = json.dumps(adapter_config(2, 0.3), indent=2).encode()
    entries["ensemble_lora/adapter_model.safetensors"] = safetensors_bytes(lora)
    entries["dino_vitb16_pretrain.pth"] = torch_bytes(training)
    for name, model in (("clip_vitb16", clip), ("open_clip_vitb16", open_clip)):
        state = timm_state(model)
        entries[f"{name}_pretrain.pth.tar"] = torch_bytes({"state_dict": state})
    write_zip(releases / "v0.2.0-checkpoints" / "dreamsim_ensemble_checkpoint.zip", entries)
    members = [(dino.double(), "dino"), (clip.double(), "clip"), (open_clip.double(), "open_clip")]
    apply_lora([m for m, _ in members], lora, 2 / RANK)
    cases["dreamsim"] = reference(members, patch=False)

    # --- SynCLR, its adapter as adapter_model.bin; alpha 8, r 4 (scale 2)
    synclr = backbone(rng, "synclr")
    lora = lora_weights(rng, [synclr])
    state = OrderedDict(("module.visual." + k, v) for k, v in timm_state(synclr).items())
    entries = OrderedDict()
    entries["synclr_vitb16_single_lora/adapter_config.json"] = json.dumps(adapter_config(8, 0.2), indent=2).encode()
    entries["synclr_vitb16_single_lora/adapter_model.bin"] = torch_bytes(lora)
    entries["synclr_vit_b_16.pth"] = torch_bytes({"model": state, "epoch": 40})
    write_zip(releases / "v0.2.1-checkpoints" / "dreamsim_synclr_vitb16_checkpoint.zip", entries)
    members = [(synclr.double(), "synclr")]
    apply_lora([m for m, _ in members], lora, 8 / RANK)
    cases["dreamsim_synclr_vitb16"] = reference(members, patch=False)

    # --- DINOv2 patch model (hub file with a 5x5 grid); alpha 8, r 4
    dinov2 = backbone(rng, "dinov2")
    dinov2_file = hub / "dinov2" / "dinov2_vitb14" / "dinov2_vitb14_pretrain.pth"
    dinov2_file.parent.mkdir(parents=True)
    dinov2_file.write_bytes(torch_bytes(timm_state(dinov2)))
    lora = lora_weights(rng, [dinov2])
    entries = OrderedDict()
    entries["dinov2_vitb14_patch_lora/adapter_config.json"] = json.dumps(adapter_config(8, 0.2), indent=2).encode()
    entries["dinov2_vitb14_patch_lora/adapter_model.safetensors"] = safetensors_bytes(lora)
    write_zip(releases / "v0.2.1-checkpoints" / "dreamsim_dinov2_vitb14_patch_checkpoint.zip", entries)
    members = [(dinov2.double(), "dinov2")]
    apply_lora([m for m, _ in members], lora, 8 / RANK)
    cases["dreamsim_dinov2_vitb14_patch"] = reference(members, patch=True)

    summary = {"images": IMAGES, "pairs": PAIRS, "cases": {}}
    for name, (embeddings, distances) in cases.items():
        np.save(OUT / f"{name}.npy", embeddings.numpy().astype("<f4"))
        summary["cases"][name] = {"width": embeddings.shape[1], "distances": distances}
    (OUT / "reference.json").write_text(json.dumps(summary, indent=2) + "\n")
    for f in sorted(OUT.rglob("*")):
        if f.is_file():
            print(f"{f.relative_to(OUT)}: {f.stat().st_size} bytes")


if __name__ == "__main__":
    main()
