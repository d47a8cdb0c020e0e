#!/usr/bin/python3
"""Regenerate the backbone parity fixtures under src/test/resources/parity/.

Run from anywhere with Debian's interpreter (torch 1.13, torchvision 0.14, numpy):

    /usr/bin/python3 tools/reference/make_parity_fixtures.py

Each case is a tiny ViT (hidden 64, 2 blocks, 4 heads, MLP 256, patch 8) with
random, non-trivial weights, written as a checkpoint folder in one upstream
layout, plus the reference outputs of an independent PyTorch implementation
(written here from the upstream definitions, or torchvision's) computed in
float64 from exactly the stored weights. Every case is then recomputed by a
second path: a plain numpy forward that reads the checkpoint folder back
(safetensors + config) the way a loader would. The run is deterministic; the
whole parity/ tree is deleted and rewritten.
"""

import json
import math
import shutil
import struct
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torch import nn

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "test" / "resources" / "parity"

DIM, DEPTH, HEADS, MLP, PATCH, BATCH = 64, 2, 4, 256, 8, 2
EMBED = 32  # CLIP / open_clip projection width

# Distinctive preprocessing constants: the pixels are already normalised, so these
# never change an output; they only let a loader test read them from the right file.
TIMM_MEAN, TIMM_STD = [0.41, 0.52, 0.33], [0.21, 0.32, 0.23]
DINOV2_MEAN, DINOV2_STD = [0.42, 0.53, 0.34], [0.22, 0.33, 0.24]
CLIP_MEAN, CLIP_STD = [0.43, 0.54, 0.35], [0.23, 0.34, 0.25]
OPEN_CLIP_MEAN, OPEN_CLIP_STD = [0.44, 0.55, 0.36], [0.24, 0.35, 0.26]


# ----------------------------------------------------------------------------
# safetensors and npy output


SAFETENSORS_DTYPES = {np.dtype("<f4"): "F32", np.dtype("<f2"): "F16", np.dtype("<i8"): "I64"}
NUMPY_DTYPES = {v: k for k, v in SAFETENSORS_DTYPES.items()}


def write_safetensors(path, tensors, metadata=None):
    """Writes name -> ndarray as safetensors: u64 LE header length, JSON header, raw LE data."""
    # Widest dtypes first keeps every tensor aligned to its item size, as the reference writer does.
    names = sorted(tensors, key=lambda n: (-tensors[n].dtype.itemsize, n))
    header = {"__metadata__": metadata or {"format": "pt"}}
    blobs, offset = [], 0
    for name in names:
        array = np.asarray(tensors[name])  # keeps 0-d scalars 0-d
        data = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes(order="C")
        header[name] = {
            "dtype": SAFETENSORS_DTYPES[array.dtype],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def write_weights(path, tensors):
    """A case's checkpoint: float32 arrays stored as F16, which is lossless because fill_randomly
    drew them float16-representable (checked), so the file holds what the reference ran on."""
    stored = {}
    for name, array in tensors.items():
        array = np.asarray(array)
        if array.dtype == np.float32:
            half = array.astype(np.float16)
            assert np.array_equal(half.astype(np.float32), array), f"{name} is not float16-representable"
            array = half
        stored[name] = array
    write_safetensors(path, stored)


def read_safetensors(path):
    """Reads a safetensors file back independently of the writer's in-memory state."""
    raw = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    header.pop("__metadata__", None)
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        dtype = NUMPY_DTYPES[entry["dtype"]]
        array = np.frombuffer(raw[8 + length + begin : 8 + length + end], dtype=dtype)
        tensors[name] = array.reshape(entry["shape"])
    return tensors


def write_json(path, value):
    Path(path).write_text(json.dumps(value, indent=2) + "\n")


def save_npy(path, tensor):
    np.save(path, tensor.detach().cpu().numpy().astype("<f4"))


# ----------------------------------------------------------------------------
# parameter initialisation


TOKENS = {
    "cls_token", "pos_embed", "register_tokens", "mask_token", "class_token", "pos_embedding",
    "position_embeddings", "class_embedding", "positional_embedding",
}


def fill_randomly(module, rng):
    """Draws every parameter of `module` so that each one visibly changes the output.

    Values are drawn as float16-representable float32 (the checkpoints store F16 to keep the
    fixtures small, with no rounding); the reference then runs in float64 on exactly those values. Matrices get N(0, s) with s = 0.8/sqrt(fan_in) kept in
    [0.02, 0.1], which keeps the residual stream O(1) through the blocks.
    """

    def normal(shape, std, mean=0.0):
        return (mean + std * rng.standard_normal(shape)).astype(np.float16).astype(np.float32)

    for owner_name, owner in module.named_modules():
        for name, param in owner.named_parameters(recurse=False):
            shape = tuple(param.shape)
            if isinstance(owner, nn.LayerNorm) and name == "weight":
                value = normal(shape, 0.1, 1.0)
            elif name in ("gamma", "lambda1"):
                value = normal(shape, 0.05, 0.1)
            elif name in TOKENS or isinstance(owner, nn.Embedding):
                value = normal(shape, 0.5)
            elif "bias" in name:
                value = normal(shape, 0.05)
            elif name == "proj" and not isinstance(owner, nn.Linear):  # open_clip: x @ proj
                value = normal(shape, matrix_std(shape[0]))
            elif len(shape) >= 2:
                value = normal(shape, matrix_std(int(np.prod(shape[1:]))))
            else:
                raise ValueError(f"no initialisation rule for {owner_name}.{name} {shape}")
            param.data = torch.from_numpy(value)


def matrix_std(fan_in):
    return min(0.1, max(0.02, 0.8 / math.sqrt(fan_in)))


def holder(**children):
    """An nn.Module that only carries named children, to reproduce nested upstream key names."""
    module = nn.Module()
    for name, child in children.items():
        setattr(module, name, child)
    return module


# ----------------------------------------------------------------------------
# reference building blocks (float64 at run time)


def attend(q, k, v, heads, scale):
    """Multi-head attention on [B, T, D] inputs, plain matmul and softmax."""
    batch, tokens, dim = q.shape
    q, k, v = (t.reshape(batch, tokens, heads, dim // heads).transpose(1, 2) for t in (q, k, v))
    weights = torch.softmax((q @ k.transpose(-2, -1)) * scale, dim=-1)
    return (weights @ v).transpose(1, 2).reshape(batch, tokens, dim)


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Mlp(nn.Module):
    def __init__(self, act, first="fc1", second="fc2"):
        super().__init__()
        self.first, self.second = first, second
        setattr(self, first, nn.Linear(DIM, MLP))
        setattr(self, second, nn.Linear(MLP, DIM))
        self.act = act

    def forward(self, x):
        return getattr(self, self.second)(self.act(getattr(self, self.first)(x)))


class LayerScale(nn.Module):
    def __init__(self, name):
        super().__init__()
        self.name = name
        self.register_parameter(name, nn.Parameter(torch.ones(DIM)))

    def forward(self, x):
        return x * getattr(self, self.name)


def patch_grid(x, conv):
    """Conv patch embedding, tokens in row-major order over the patch grid."""
    return conv(x).flatten(2).transpose(1, 2)


# --- DINO v1 / DINOv2 hub (timm key layout) ---------------------------------


class FusedAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(DIM, 3 * DIM)
        self.proj = nn.Linear(DIM, DIM)

    def forward(self, x):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        return self.proj(attend(q, k, v, HEADS, (DIM // HEADS) ** -0.5))


class HubBlock(nn.Module):
    def __init__(self, layer_scale):
        super().__init__()
        self.norm1 = nn.LayerNorm(DIM, eps=1e-6)
        self.attn = FusedAttention()
        self.norm2 = nn.LayerNorm(DIM, eps=1e-6)
        self.mlp = Mlp(nn.GELU())
        if layer_scale:
            self.ls1, self.ls2 = LayerScale("gamma"), LayerScale("gamma")
        else:
            self.ls1 = self.ls2 = nn.Identity()

    def forward(self, x):
        x = x + self.ls1(self.attn(self.norm1(x)))
        return x + self.ls2(self.mlp(self.norm2(x)))


class HubViT(nn.Module):
    """DINO v1's VisionTransformer, and with layer scale / registers DINOv2's hub model.

    Position embeddings are resized as both hub codes do: bicubic with
    scale_factor = ((rows + 0.1) / M, (cols + 0.1) / M), no antialias, skipped only when
    the token count matches and the input is square. DINOv2 does the resize in float32
    (its `pos_embed.float()`); DINO v1 in the model's dtype.
    """

    def __init__(self, image, layer_scale=False, registers=0, mask_token=False, resize_in_float32=False):
        super().__init__()
        grid = image // PATCH
        self.patch_embed = holder(proj=nn.Conv2d(3, DIM, PATCH, PATCH))
        self.cls_token = nn.Parameter(torch.zeros(1, 1, DIM))
        self.pos_embed = nn.Parameter(torch.zeros(1, grid * grid + 1, DIM))
        self.register_tokens = nn.Parameter(torch.zeros(1, registers, DIM)) if registers else None
        self.mask_token = nn.Parameter(torch.zeros(1, DIM)) if mask_token else None
        self.blocks = nn.ModuleList(HubBlock(layer_scale) for _ in range(DEPTH))
        self.norm = nn.LayerNorm(DIM, eps=1e-6)
        self.resize_in_float32 = resize_in_float32

    def position_embedding(self, patches, rows, cols):
        n = self.pos_embed.shape[1] - 1
        if patches == n and rows == cols:
            return self.pos_embed
        table = self.pos_embed.float() if self.resize_in_float32 else self.pos_embed
        side = int(math.sqrt(n))
        grid_rows, grid_cols = rows // PATCH, cols // PATCH
        grid = F.interpolate(
            table[:, 1:].reshape(1, side, side, DIM).permute(0, 3, 1, 2),
            scale_factor=((grid_rows + 0.1) / side, (grid_cols + 0.1) / side),
            mode="bicubic",
            align_corners=False,
            antialias=False,
        )
        assert tuple(grid.shape[-2:]) == (grid_rows, grid_cols)
        grid = grid.permute(0, 2, 3, 1).reshape(1, -1, DIM)
        return torch.cat((table[:, :1], grid), dim=1).to(self.pos_embed.dtype)

    def forward(self, x):
        batch, _, rows, cols = x.shape
        patches = patch_grid(x, self.patch_embed.proj)
        t = torch.cat((self.cls_token.expand(batch, -1, -1), patches), dim=1)
        t = t + self.position_embedding(patches.shape[1], rows, cols)
        if self.register_tokens is not None:
            t = torch.cat((t[:, :1], self.register_tokens.expand(batch, -1, -1), t[:, 1:]), dim=1)
        for block in self.blocks:
            t = block(t)
        return t, self.norm(t), None


# --- Hugging Face Dinov2Model ------------------------------------------------


class HfSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query, self.key, self.value = nn.Linear(DIM, DIM), nn.Linear(DIM, DIM), nn.Linear(DIM, DIM)

    def forward(self, x):
        return attend(self.query(x), self.key(x), self.value(x), HEADS, (DIM // HEADS) ** -0.5)


class HfDinov2Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.LayerNorm(DIM, eps=1e-6)
        self.attention = holder(attention=HfSelfAttention(), output=holder(dense=nn.Linear(DIM, DIM)))
        self.layer_scale1 = LayerScale("lambda1")
        self.norm2 = nn.LayerNorm(DIM, eps=1e-6)
        self.mlp = Mlp(nn.GELU())
        self.layer_scale2 = LayerScale("lambda1")

    def forward(self, x):
        x = x + self.layer_scale1(self.attention.output.dense(self.attention.attention(self.norm1(x))))
        return x + self.layer_scale2(self.mlp(self.norm2(x)))


class HfDinov2(nn.Module):
    """transformers' Dinov2Model: position grid resized with bicubic to (h/p, w/p) in float32."""

    def __init__(self, image):
        super().__init__()
        grid = image // PATCH
        self.embeddings = holder(
            patch_embeddings=holder(projection=nn.Conv2d(3, DIM, PATCH, PATCH)),
        )
        self.embeddings.cls_token = nn.Parameter(torch.zeros(1, 1, DIM))
        self.embeddings.mask_token = nn.Parameter(torch.zeros(1, DIM))
        self.embeddings.position_embeddings = nn.Parameter(torch.zeros(1, grid * grid + 1, DIM))
        self.encoder = holder(layer=nn.ModuleList(HfDinov2Layer() for _ in range(DEPTH)))
        self.layernorm = nn.LayerNorm(DIM, eps=1e-6)

    def position_embedding(self, patches, rows, cols):
        table = self.embeddings.position_embeddings
        n = table.shape[1] - 1
        if patches == n and rows == cols:
            return table
        side = int(math.sqrt(n))
        grid = F.interpolate(
            table[:, 1:].reshape(1, side, side, DIM).permute(0, 3, 1, 2).to(torch.float32),
            size=(rows // PATCH, cols // PATCH),
            mode="bicubic",
            align_corners=False,
        ).to(table.dtype)
        return torch.cat((table[:, :1], grid.permute(0, 2, 3, 1).reshape(1, -1, DIM)), dim=1)

    def forward(self, x):
        batch, _, rows, cols = x.shape
        patches = patch_grid(x, self.embeddings.patch_embeddings.projection)
        t = torch.cat((self.embeddings.cls_token.expand(batch, -1, -1), patches), dim=1)
        t = t + self.position_embedding(patches.shape[1], rows, cols)
        for layer in self.encoder.layer:
            t = layer(t)
        return t, self.layernorm(t), None


# --- Hugging Face CLIPModel (vision tower + projection) ----------------------


class ClipAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q_proj, self.k_proj, self.v_proj = nn.Linear(DIM, DIM), nn.Linear(DIM, DIM), nn.Linear(DIM, DIM)
        self.out_proj = nn.Linear(DIM, DIM)

    def forward(self, x):
        q = self.q_proj(x) * (DIM // HEADS) ** -0.5
        return self.out_proj(attend(q, self.k_proj(x), self.v_proj(x), HEADS, 1.0))


class ClipLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(DIM, eps=1e-5)
        self.self_attn = ClipAttention()
        self.layer_norm2 = nn.LayerNorm(DIM, eps=1e-5)
        self.mlp = Mlp(QuickGELU())

    def forward(self, x):
        x = x + self.self_attn(self.layer_norm1(x))
        return x + self.mlp(self.layer_norm2(x))


class HfClip(nn.Module):
    """transformers' CLIPModel image path; interpolate_pos_encoding resizes to (h/p, w/p)."""

    def __init__(self, image):
        super().__init__()
        grid = image // PATCH
        embeddings = holder(
            patch_embedding=nn.Conv2d(3, DIM, PATCH, PATCH, bias=False),
            position_embedding=nn.Embedding(grid * grid + 1, DIM),
        )
        embeddings.class_embedding = nn.Parameter(torch.zeros(DIM))
        self.vision_model = holder(
            embeddings=embeddings,
            pre_layrnorm=nn.LayerNorm(DIM, eps=1e-5),
            encoder=holder(layers=nn.ModuleList(ClipLayer() for _ in range(DEPTH))),
            post_layernorm=nn.LayerNorm(DIM, eps=1e-5),
        )
        self.visual_projection = nn.Linear(DIM, EMBED, bias=False)

    def position_embedding(self, patches, rows, cols):
        table = self.vision_model.embeddings.position_embedding.weight.unsqueeze(0)
        n = table.shape[1] - 1
        if patches == n and rows == cols:
            return table
        side = int(math.sqrt(n))
        grid = F.interpolate(
            table[:, 1:].reshape(1, side, side, DIM).permute(0, 3, 1, 2),
            size=(rows // PATCH, cols // PATCH),
            mode="bicubic",
            align_corners=False,
        )
        return torch.cat((table[:, :1], grid.permute(0, 2, 3, 1).reshape(1, -1, DIM)), dim=1)

    def forward(self, x):
        vm = self.vision_model
        batch, _, rows, cols = x.shape
        patches = patch_grid(x, vm.embeddings.patch_embedding)
        t = torch.cat((vm.embeddings.class_embedding.expand(batch, 1, -1), patches), dim=1)
        t = vm.pre_layrnorm(t + self.position_embedding(patches.shape[1], rows, cols))
        for layer in vm.encoder.layers:
            t = layer(t)
        normed = vm.post_layernorm(t)
        return t, normed, self.visual_projection(normed[:, 0])


# --- open_clip -----------------------------------------------------------------


class OpenClipAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.in_proj_weight = nn.Parameter(torch.zeros(3 * DIM, DIM))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * DIM))
        self.out_proj = nn.Linear(DIM, DIM)

    def forward(self, x):
        q, k, v = F.linear(x, self.in_proj_weight, self.in_proj_bias).chunk(3, dim=-1)
        return self.out_proj(attend(q, k, v, HEADS, (DIM // HEADS) ** -0.5))


class OpenClipBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(DIM, eps=1e-5)
        self.attn = OpenClipAttention()
        self.ln_2 = nn.LayerNorm(DIM, eps=1e-5)
        self.mlp = Mlp(nn.GELU(), first="c_fc", second="c_proj")

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class OpenClip(nn.Module):
    """open_clip's VisionTransformer (laion2b style: plain GELU, ln_post before CLS pooling)."""

    def __init__(self, image):
        super().__init__()
        grid = image // PATCH
        visual = holder(
            conv1=nn.Conv2d(3, DIM, PATCH, PATCH, bias=False),
            ln_pre=nn.LayerNorm(DIM, eps=1e-5),
            transformer=holder(resblocks=nn.ModuleList(OpenClipBlock() for _ in range(DEPTH))),
            ln_post=nn.LayerNorm(DIM, eps=1e-5),
        )
        visual.class_embedding = nn.Parameter(torch.zeros(DIM))
        visual.positional_embedding = nn.Parameter(torch.zeros(grid * grid + 1, DIM))
        visual.proj = nn.Parameter(torch.zeros(DIM, EMBED))
        self.visual = visual

    def forward(self, x):
        v = self.visual
        patches = patch_grid(x, v.conv1)
        t = torch.cat((v.class_embedding.expand(x.shape[0], 1, -1), patches), dim=1)
        t = v.ln_pre(t + v.positional_embedding)
        for block in v.transformer.resblocks:
            t = block(t)
        normed = v.ln_post(t)
        return t, normed, normed[:, 0] @ v.proj


# --- torchvision, exported as a Hugging Face ViTModel ------------------------


class TorchvisionViT:
    """torchvision's VisionTransformer; tokens taken at the input of encoder.ln by a hook."""

    def __init__(self, model):
        self.model = model
        self.captured = {}
        model.encoder.ln.register_forward_hook(self._capture)

    def _capture(self, module, inputs, output):
        self.captured["tokens"], self.captured["normed"] = inputs[0], output

    def __call__(self, x):
        self.model(x)
        return self.captured["tokens"], self.captured["normed"], None


def torchvision_to_hf_vit(state, pooler_weight, pooler_bias):
    hf = {
        "embeddings.cls_token": state["class_token"],
        "embeddings.position_embeddings": state["encoder.pos_embedding"],
        "embeddings.patch_embeddings.projection.weight": state["conv_proj.weight"],
        "embeddings.patch_embeddings.projection.bias": state["conv_proj.bias"],
        "layernorm.weight": state["encoder.ln.weight"],
        "layernorm.bias": state["encoder.ln.bias"],
        "pooler.dense.weight": pooler_weight,
        "pooler.dense.bias": pooler_bias,
    }
    for i in range(DEPTH):
        src, dst = f"encoder.layers.encoder_layer_{i}.", f"encoder.layer.{i}."
        for kind in ("weight", "bias"):
            q, k, v = np.split(state[src + f"self_attention.in_proj_{kind}"], 3)
            hf[dst + f"attention.attention.query.{kind}"] = q
            hf[dst + f"attention.attention.key.{kind}"] = k
            hf[dst + f"attention.attention.value.{kind}"] = v
            hf[dst + f"attention.output.dense.{kind}"] = state[src + f"self_attention.out_proj.{kind}"]
            hf[dst + f"layernorm_before.{kind}"] = state[src + f"ln_1.{kind}"]
            hf[dst + f"layernorm_after.{kind}"] = state[src + f"ln_2.{kind}"]
            hf[dst + f"intermediate.dense.{kind}"] = state[src + f"mlp.0.{kind}"]
            hf[dst + f"output.dense.{kind}"] = state[src + f"mlp.3.{kind}"]
    return hf


# ----------------------------------------------------------------------------
# second path: numpy forward from the checkpoint folder as written on disk


def bicubic_matrix(n_in, n_out, scale=None):
    """PyTorch's bicubic (A = -0.75, align_corners=False, edge samples clamped) as a matrix.

    Source coordinate of output i is (i + 0.5) / scale - 0.5 when a scale factor is given
    (the hub code's offset scale), else (i + 0.5) * n_in / n_out - 0.5.
    """
    a = -0.75
    step = 1.0 / scale if scale else n_in / n_out

    def near(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    m = np.zeros((n_out, n_in))
    for i in range(n_out):
        source = (i + 0.5) * step - 0.5
        base = math.floor(source)
        t = source - base
        for k, w in enumerate((far(t + 1), near(t), near(1 - t), far(2 - t))):
            m[i, min(max(base - 1 + k, 0), n_in - 1)] += w
    return m


def np_layer_norm(x, wb, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * wb[0] + wb[1]


_erf = np.vectorize(math.erf)
ACTIVATIONS = {
    "gelu": lambda x: 0.5 * x * (1 + _erf(x / math.sqrt(2))),
    "quick_gelu": lambda x: x / (1 + np.exp(-1.702 * x)),
}


def np_forward(c, pixels):
    """One canonical ViT forward; `c` is what a key map produced from the checkpoint."""
    batch, _, rows, cols = pixels.shape
    p = c["patch"]
    gr, gc = rows // p, cols // p
    dim = c["cls"].shape[-1]
    patches = pixels.reshape(batch, 3, gr, p, gc, p).transpose(0, 2, 4, 1, 3, 5).reshape(batch, gr * gc, -1)
    x = patches @ c["patch_w"].reshape(dim, -1).T
    if c["patch_b"] is not None:
        x = x + c["patch_b"]
    pos = c["pos"]
    side = int(math.sqrt(pos.shape[0] - 1))
    if (gr, gc) != (side, side):
        if c["resize"] == "offset":
            ry = bicubic_matrix(side, gr, (gr + 0.1) / side)
            rx = bicubic_matrix(side, gc, (gc + 0.1) / side)
        else:
            ry, rx = bicubic_matrix(side, gr), bicubic_matrix(side, gc)
        grid = np.einsum("ij,jkd,lk->ild", ry, pos[1:].reshape(side, side, dim), rx).reshape(-1, dim)
        pos = np.concatenate([pos[:1], grid])
    x = np.concatenate([np.broadcast_to(c["cls"], (batch, 1, dim)), x], axis=1) + pos
    if c["registers"] is not None:
        regs = np.broadcast_to(c["registers"], (batch,) + c["registers"].shape)
        x = np.concatenate([x[:, :1], regs, x[:, 1:]], axis=1)
    eps, act, heads = c["eps"], ACTIVATIONS[c["act"]], c["heads"]
    if c["pre_norm"] is not None:
        x = np_layer_norm(x, c["pre_norm"], eps)
    hd = dim // heads
    for b in c["blocks"]:
        h = np_layer_norm(x, b["norm1"], eps)
        qkv = h @ b["qkv_w"].T + b["qkv_b"]
        q, k, v = (t.reshape(batch, -1, heads, hd).transpose(0, 2, 1, 3) for t in np.split(qkv, 3, axis=-1))
        logits = q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd)
        w = np.exp(logits - logits.max(-1, keepdims=True))
        w /= w.sum(-1, keepdims=True)
        attn = (w @ v).transpose(0, 2, 1, 3).reshape(batch, -1, dim) @ b["proj_w"].T + b["proj_b"]
        x = x + attn * b["ls1"]
        h = act(np_layer_norm(x, b["norm2"], eps) @ b["fc1_w"].T + b["fc1_b"])
        x = x + (h @ b["fc2_w"].T + b["fc2_b"]) * b["ls2"]
    normed = np_layer_norm(x, c["norm"], eps)
    embedding = normed[:, 0] @ c["proj"] if c["proj"] is not None else None
    return x, normed, embedding


def canonical(layout, folder):
    """Key map: checkpoint folder of one layout -> canonical parameter set (float64)."""
    if layout == "open_clip":
        raw = read_safetensors(folder / "open_clip_model.safetensors")
    else:
        raw = read_safetensors(folder / "model.safetensors")
    t = {k: v.astype(np.float64) for k, v in raw.items()}

    def wb(prefix):
        return t[prefix + ".weight"], t[prefix + ".bias"]

    blocks = []
    if layout == "hf_vit":
        cfg = json.loads((folder / "config.json").read_text())
        for i in range(cfg["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            qkv = [p + f"attention.attention.{n}" for n in ("query", "key", "value")]
            blocks.append(dict(
                norm1=wb(p + "layernorm_before"), norm2=wb(p + "layernorm_after"),
                qkv_w=np.concatenate([t[n + ".weight"] for n in qkv]),
                qkv_b=np.concatenate([t[n + ".bias"] for n in qkv]),
                proj_w=t[p + "attention.output.dense.weight"], proj_b=t[p + "attention.output.dense.bias"],
                fc1_w=t[p + "intermediate.dense.weight"], fc1_b=t[p + "intermediate.dense.bias"],
                fc2_w=t[p + "output.dense.weight"], fc2_b=t[p + "output.dense.bias"], ls1=1.0, ls2=1.0))
        return dict(
            patch=cfg["patch_size"], patch_w=t["embeddings.patch_embeddings.projection.weight"],
            patch_b=t["embeddings.patch_embeddings.projection.bias"], cls=t["embeddings.cls_token"][0, 0],
            pos=t["embeddings.position_embeddings"][0], registers=None, pre_norm=None, blocks=blocks,
            norm=wb("layernorm"), proj=None, eps=cfg["layer_norm_eps"], act=cfg["hidden_act"],
            heads=cfg["num_attention_heads"], resize="size")
    if layout == "timm":
        cfg = json.loads((folder / "config.json").read_text())
        depth = len({k.split(".")[1] for k in t if k.startswith("blocks.")})
        for i in range(depth):
            p = f"blocks.{i}."
            blocks.append(dict(
                norm1=wb(p + "norm1"), norm2=wb(p + "norm2"),
                qkv_w=t[p + "attn.qkv.weight"], qkv_b=t[p + "attn.qkv.bias"],
                proj_w=t[p + "attn.proj.weight"], proj_b=t[p + "attn.proj.bias"],
                fc1_w=t[p + "mlp.fc1.weight"], fc1_b=t[p + "mlp.fc1.bias"],
                fc2_w=t[p + "mlp.fc2.weight"], fc2_b=t[p + "mlp.fc2.bias"],
                ls1=t.get(p + "ls1.gamma", 1.0), ls2=t.get(p + "ls2.gamma", 1.0)))
        patch_w = t["patch_embed.proj.weight"]
        return dict(
            patch=patch_w.shape[-1], patch_w=patch_w, patch_b=t["patch_embed.proj.bias"],
            cls=t["cls_token"][0, 0], pos=t["pos_embed"][0],
            registers=t["register_tokens"][0] if "register_tokens" in t else None, pre_norm=None,
            blocks=blocks, norm=wb("norm"), proj=None, eps=1e-6, act="gelu",
            heads=cfg["model_args"]["num_heads"], resize="offset")
    if layout == "hf_dinov2":
        cfg = json.loads((folder / "config.json").read_text())
        for i in range(cfg["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            qkv = [p + f"attention.attention.{n}" for n in ("query", "key", "value")]
            blocks.append(dict(
                norm1=wb(p + "norm1"), norm2=wb(p + "norm2"),
                qkv_w=np.concatenate([t[n + ".weight"] for n in qkv]),
                qkv_b=np.concatenate([t[n + ".bias"] for n in qkv]),
                proj_w=t[p + "attention.output.dense.weight"], proj_b=t[p + "attention.output.dense.bias"],
                fc1_w=t[p + "mlp.fc1.weight"], fc1_b=t[p + "mlp.fc1.bias"],
                fc2_w=t[p + "mlp.fc2.weight"], fc2_b=t[p + "mlp.fc2.bias"],
                ls1=t[p + "layer_scale1.lambda1"], ls2=t[p + "layer_scale2.lambda1"]))
        return dict(
            patch=cfg["patch_size"], patch_w=t["embeddings.patch_embeddings.projection.weight"],
            patch_b=t["embeddings.patch_embeddings.projection.bias"], cls=t["embeddings.cls_token"][0, 0],
            pos=t["embeddings.position_embeddings"][0], registers=None, pre_norm=None, blocks=blocks,
            norm=wb("layernorm"), proj=None, eps=cfg["layer_norm_eps"], act=cfg["hidden_act"],
            heads=cfg["num_attention_heads"], resize="size")
    if layout == "hf_clip":
        cfg = json.loads((folder / "config.json").read_text())["vision_config"]
        for i in range(cfg["num_hidden_layers"]):
            p = f"vision_model.encoder.layers.{i}."
            qkv = [p + f"self_attn.{n}_proj" for n in ("q", "k", "v")]
            blocks.append(dict(
                norm1=wb(p + "layer_norm1"), norm2=wb(p + "layer_norm2"),
                qkv_w=np.concatenate([t[n + ".weight"] for n in qkv]),
                qkv_b=np.concatenate([t[n + ".bias"] for n in qkv]),
                proj_w=t[p + "self_attn.out_proj.weight"], proj_b=t[p + "self_attn.out_proj.bias"],
                fc1_w=t[p + "mlp.fc1.weight"], fc1_b=t[p + "mlp.fc1.bias"],
                fc2_w=t[p + "mlp.fc2.weight"], fc2_b=t[p + "mlp.fc2.bias"], ls1=1.0, ls2=1.0))
        e = "vision_model.embeddings."
        return dict(
            patch=cfg["patch_size"], patch_w=t[e + "patch_embedding.weight"], patch_b=None,
            cls=t[e + "class_embedding"], pos=t[e + "position_embedding.weight"], registers=None,
            pre_norm=wb("vision_model.pre_layrnorm"), blocks=blocks, norm=wb("vision_model.post_layernorm"),
            proj=t["visual_projection.weight"].T, eps=cfg["layer_norm_eps"], act=cfg["hidden_act"],
            heads=cfg["num_attention_heads"], resize="size")
    if layout == "open_clip":
        cfg = json.loads((folder / "open_clip_config.json").read_text())["model_cfg"]["vision_cfg"]
        for i in range(cfg["layers"]):
            p = f"visual.transformer.resblocks.{i}."
            blocks.append(dict(
                norm1=wb(p + "ln_1"), norm2=wb(p + "ln_2"),
                qkv_w=t[p + "attn.in_proj_weight"], qkv_b=t[p + "attn.in_proj_bias"],
                proj_w=t[p + "attn.out_proj.weight"], proj_b=t[p + "attn.out_proj.bias"],
                fc1_w=t[p + "mlp.c_fc.weight"], fc1_b=t[p + "mlp.c_fc.bias"],
                fc2_w=t[p + "mlp.c_proj.weight"], fc2_b=t[p + "mlp.c_proj.bias"], ls1=1.0, ls2=1.0))
        return dict(
            patch=cfg["patch_size"], patch_w=t["visual.conv1.weight"], patch_b=None,
            cls=t["visual.class_embedding"], pos=t["visual.positional_embedding"], registers=None,
            pre_norm=wb("visual.ln_pre"), blocks=blocks, norm=wb("visual.ln_post"), proj=t["visual.proj"],
            eps=1e-5, act="gelu", heads=cfg["width"] // cfg["head_width"], resize=None)
    raise ValueError(layout)


# ----------------------------------------------------------------------------
# cases


def hf_config(**fields):
    return dict(sorted(fields.items()))


def timm_config(architecture, image, mean, std, tag, crop_pct, **model_args):
    return {
        "architecture": architecture,
        "num_classes": 0,
        "num_features": DIM,
        "global_pool": "token",
        "model_args": {"img_size": image, "patch_size": PATCH, "embed_dim": DIM, "depth": DEPTH,
                       "num_heads": HEADS, **model_args},
        "pretrained_cfg": {
            "tag": tag,
            "custom_load": False,
            "input_size": [3, image, image],
            "fixed_input_size": True,
            "interpolation": "bicubic",
            "crop_pct": crop_pct,
            "crop_mode": "center",
            "mean": mean,
            "std": std,
            "num_classes": 0,
            "pool_size": None,
            "first_conv": "patch_embed.proj",
            "classifier": "head",
        },
    }


def state_arrays(module):
    return {k: v.detach().numpy() for k, v in module.state_dict().items()}


def case_vit_hf(rng, model_dir):
    torch.manual_seed(1)
    tv = torchvision.models.VisionTransformer(
        image_size=32, patch_size=PATCH, num_layers=DEPTH, num_heads=HEADS, hidden_dim=DIM, mlp_dim=MLP)
    fill_randomly(tv, rng)
    pooler = nn.Linear(DIM, DIM)
    fill_randomly(pooler, rng)
    tensors = torchvision_to_hf_vit(state_arrays(tv), pooler.weight.detach().numpy(), pooler.bias.detach().numpy())
    write_weights(model_dir / "model.safetensors", tensors)
    write_json(model_dir / "config.json", hf_config(
        architectures=["ViTModel"], model_type="vit", hidden_size=DIM, num_hidden_layers=DEPTH,
        num_attention_heads=HEADS, intermediate_size=MLP, patch_size=PATCH, image_size=32, num_channels=3,
        layer_norm_eps=1e-6, hidden_act="gelu", qkv_bias=True, hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0, initializer_range=0.02, encoder_stride=PATCH,
        torch_dtype="float32", transformers_version="4.44.2"))
    return TorchvisionViT(tv.double().eval()), dict(
        layout="hf_vit", native=[32, 32], input=[32, 32], alt=None, registers=0,
        notes="Reference: torchvision VisionTransformer (eps 1e-6, exact GELU) with re-drawn weights, "
              "exported with HF ViTModel key names (in_proj split into query/key/value in that order). "
              "pooler.dense is present as in a real ViTModel checkpoint but feeds no output. "
              "tokens = input of encoder.ln (forward hook).")


def case_dino_timm(rng, model_dir):
    model = HubViT(32)
    fill_randomly(model, rng)
    write_weights(model_dir / "model.safetensors", state_arrays(model))
    write_json(model_dir / "config.json", timm_config(
        "vit_base_patch8_32", 32, TIMM_MEAN, TIMM_STD, "dino", 0.875, mlp_ratio=4.0, qkv_bias=True))
    return model.double().eval(), dict(
        layout="timm", native=[32, 32], input=[32, 32], alt=[48, 40], registers=0,
        notes="Reference: DINO v1 VisionTransformer (eps 1e-6, exact GELU, qkv bias). alt (H 48 x W 40, "
              "grid 6x5) resizes the 4x4 position grid as DINO's interpolate_pos_encoding: bicubic, "
              "align_corners False, no antialias, scale_factor ((6 + 0.1) / 4, (5 + 0.1) / 4) for "
              "(rows, cols); PyTorch then maps output index i to source (i + 0.5) / scale - 0.5. "
              "Resize done in float64 (DINO v1 does not cast). Native input skips the resize.")


def case_dinov2_hub(rng, model_dir):
    model = HubViT(48, layer_scale=True, registers=4, mask_token=True, resize_in_float32=True)
    fill_randomly(model, rng)
    write_weights(model_dir / "model.safetensors", state_arrays(model))
    write_json(model_dir / "config.json", timm_config(
        "vit_base_patch8_reg4_dinov2", 48, DINOV2_MEAN, DINOV2_STD, "lvd142m", 1.0,
        mlp_ratio=4.0, init_values=0.1, reg_tokens=4))
    return model.double().eval(), dict(
        layout="timm", native=[48, 48], input=[32, 32], alt=[40, 56], registers=4,
        notes="Reference: DINOv2 hub DinoVisionTransformer with LayerScale (ls1/ls2.gamma), 4 register "
              "tokens and an unused mask_token. Trained grid 6x6, so both inputs resize it as the hub's "
              "interpolate_pos_encoding (interpolate_offset 0.1, antialias False): bicubic with "
              "scale_factor ((rows + 0.1) / 6, (cols + 0.1) / 6), rows = H / 8 first. The resize runs "
              "in float32 as upstream (pos_embed.float()), the rest in float64. Registers are inserted "
              "after the CLS token once the position embedding has been added; they get no position.")


def case_dinov2_hf(rng, model_dir):
    model = HfDinov2(48)
    fill_randomly(model, rng)
    write_weights(model_dir / "model.safetensors", state_arrays(model))
    write_json(model_dir / "config.json", hf_config(
        architectures=["Dinov2Model"], model_type="dinov2", hidden_size=DIM, num_hidden_layers=DEPTH,
        num_attention_heads=HEADS, mlp_ratio=4, patch_size=PATCH, image_size=48, num_channels=3,
        layer_norm_eps=1e-6, hidden_act="gelu", qkv_bias=True, layerscale_value=0.1,
        use_swiglu_ffn=False, drop_path_rate=0.0, hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0, initializer_range=0.02, torch_dtype="float32",
        transformers_version="4.44.2"))
    return model.double().eval(), dict(
        layout="hf_dinov2", native=[48, 48], input=[32, 32], alt=[40, 56], registers=0,
        notes="Reference: transformers Dinov2Model (LayerScale lambda1, eps 1e-6, exact GELU). The 6x6 "
              "position grid is resized as HF does: bicubic to size (H / 8, W / 8), align_corners False, "
              "no antialias, no offset, computed in float32 (HF casts to float32 and back) while "
              "everything else runs in float64. mask_token is present and unused.")


def case_clip_hf(rng, model_dir):
    model = HfClip(32)
    fill_randomly(model, rng)
    tensors = state_arrays(model)
    tensors["vision_model.embeddings.position_ids"] = np.arange(17, dtype="<i8").reshape(1, 17)
    text = holder(
        token_embedding=nn.Embedding(10, 16), position_embedding=nn.Embedding(8, 16),
        final_layer_norm=nn.LayerNorm(16), text_projection=nn.Linear(16, EMBED, bias=False))
    fill_randomly(text, rng)
    t = state_arrays(text)
    tensors.update({
        "text_model.embeddings.token_embedding.weight": t["token_embedding.weight"],
        "text_model.embeddings.position_embedding.weight": t["position_embedding.weight"],
        "text_model.final_layer_norm.weight": t["final_layer_norm.weight"],
        "text_model.final_layer_norm.bias": t["final_layer_norm.bias"],
        "text_projection.weight": t["text_projection.weight"],
        "logit_scale": np.array(2.6592, dtype=np.float16),
    })
    write_weights(model_dir / "model.safetensors", tensors)
    vision = hf_config(
        model_type="clip_vision_model", hidden_size=DIM, intermediate_size=MLP, num_attention_heads=HEADS,
        num_hidden_layers=DEPTH, image_size=32, patch_size=PATCH, num_channels=3, hidden_act="quick_gelu",
        layer_norm_eps=1e-5, projection_dim=EMBED, dropout=0.0, attention_dropout=0.0,
        initializer_range=0.02, initializer_factor=1.0)
    text_cfg = hf_config(
        model_type="clip_text_model", hidden_size=16, intermediate_size=64, num_attention_heads=2,
        num_hidden_layers=1, vocab_size=10, max_position_embeddings=8, hidden_act="quick_gelu",
        layer_norm_eps=1e-5, projection_dim=EMBED, bos_token_id=0, eos_token_id=2, pad_token_id=1)
    write_json(model_dir / "config.json", hf_config(
        architectures=["CLIPModel"], model_type="clip", projection_dim=EMBED, logit_scale_init_value=2.6592,
        initializer_factor=1.0, vision_config=vision, text_config=text_cfg, torch_dtype="float32",
        transformers_version="4.44.2"))
    write_json(model_dir / "preprocessor_config.json", hf_config(
        image_processor_type="CLIPImageProcessor", crop_size={"height": 32, "width": 32},
        size={"shortest_edge": 32}, do_resize=True, do_center_crop=True, do_rescale=True,
        rescale_factor=1 / 255, do_normalize=True, do_convert_rgb=True, resample=3,
        image_mean=CLIP_MEAN, image_std=CLIP_STD))
    return model.double().eval(), dict(
        layout="hf_clip", native=[32, 32], input=[32, 32], alt=[40, 56], registers=0,
        notes="Reference: transformers CLIPVisionTransformer + visual_projection (pre_layrnorm, QuickGELU, "
              "eps 1e-5, q scaled before q.k, patch conv without bias). tokens = encoder output (HF "
              "last_hidden_state), normed = post_layernorm of every token, embedding = normed CLS x "
              "visual_projection.weight^T. alt uses interpolate_pos_encoding: bicubic to size (H / 8, "
              "W / 8), align_corners False, in float64. position_ids (I64) and the text tower tensors "
              "must be ignored by a vision loader.")


def case_open_clip(rng, model_dir):
    model = OpenClip(32)
    fill_randomly(model, rng)
    text = holder(token_embedding=nn.Embedding(10, 16), ln_final=nn.LayerNorm(16))
    text.positional_embedding = nn.Parameter(torch.zeros(8, 16))
    text.text_projection = nn.Parameter(torch.zeros(16, EMBED))
    fill_randomly(text, rng)
    tensors = {**state_arrays(model), **state_arrays(text), "logit_scale": np.array(math.log(1 / 0.07), dtype=np.float16)}
    write_weights(model_dir / "open_clip_model.safetensors", tensors)
    write_json(model_dir / "open_clip_config.json", {
        "model_cfg": {
            "embed_dim": EMBED,
            "vision_cfg": {"image_size": 32, "layers": DEPTH, "width": DIM, "head_width": DIM // HEADS,
                           "patch_size": PATCH, "mlp_ratio": MLP // DIM},
            "text_cfg": {"context_length": 8, "vocab_size": 10, "width": 16, "heads": 2, "layers": 1},
        },
        "preprocess_cfg": {"mean": OPEN_CLIP_MEAN, "std": OPEN_CLIP_STD},
    })
    return model.double().eval(), dict(
        layout="open_clip", native=[32, 32], input=[32, 32], alt=None, registers=0,
        notes="Reference: open_clip VisionTransformer, laion2b style (plain exact GELU, eps 1e-5, ln_pre, "
              "ln_post on all tokens then CLS pooling, embedding = normed CLS @ visual.proj). Checkpoint "
              "stored in F16 like the other cases. Top-level text "
              "tensors (token_embedding, positional_embedding, ln_final, text_projection, logit_scale) "
              "must be ignored by a vision loader.")


CASES = {
    "vit_hf": (case_vit_hf, 101),
    "dino_timm": (case_dino_timm, 202),
    "dinov2_hub": (case_dinov2_hub, 303),
    "dinov2_hf": (case_dinov2_hf, 404),
    "clip_hf": (case_clip_hf, 505),
    "open_clip": (case_open_clip, 606),
}


def run_case(name, build, seed):
    folder = OUT / name
    model_dir = folder / "model"
    model_dir.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    reference, meta = build(rng, model_dir)
    meta = {"layout": meta.pop("layout"), **meta}
    write_json(folder / "case.json", meta)

    canon = canonical(meta["layout"], model_dir)
    runs = [("", meta["input"])] + ([("_alt", meta["alt"])] if meta["alt"] else [])
    for suffix, (rows, cols) in runs:
        pixels = rng.standard_normal((BATCH, 3, rows, cols)).astype(np.float32)
        np.save(folder / f"pixels{suffix}.npy", pixels)
        with torch.no_grad():
            tokens, normed, embedding = reference(torch.from_numpy(pixels).double())
        outputs = {"tokens": tokens, "normed": normed}
        if embedding is not None:
            outputs["embedding"] = embedding
        for key, value in outputs.items():
            save_npy(folder / f"{key}{suffix}.npy", value)

        expected_tokens = 1 + meta["registers"] + (rows // PATCH) * (cols // PATCH)
        assert tuple(tokens.shape) == (BATCH, expected_tokens, DIM), tokens.shape
        assert tuple(normed.shape) == tuple(tokens.shape)
        assert embedding is None or tuple(embedding.shape) == (BATCH, EMBED)

        second = np_forward(canon, pixels.astype(np.float64))
        report = [f"{name}{suffix:4} {rows}x{cols} T={expected_tokens:2}"]
        for (key, value), other in zip(outputs.items(), second):
            saved = np.load(folder / f"{key}{suffix}.npy")
            peak, spread = float(np.abs(saved).max()), float(saved.std())
            gap = float(np.abs(saved.astype(np.float64) - other).max())
            assert 0.3 < peak < 30 and spread > 0.1, f"{name}{suffix} {key}: max {peak}, std {spread}"
            assert gap < 2e-6, f"{name}{suffix} {key}: numpy path differs by {gap}"
            report.append(f"{key} max|v| {peak:6.3f} std {spread:5.3f} numpy-gap {gap:.1e}")
        print("  ".join(report))


def main():
    torch.set_num_threads(1)  # one thread: reductions in a fixed order, byte-identical reruns
    if OUT.exists():
        shutil.rmtree(OUT)
    for name, (build, seed) in CASES.items():
        run_case(name, build, seed)
    sizes = {p.name: sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) for p in OUT.iterdir()}
    for name, size in sizes.items():
        assert size < 1_000_000, f"{name} is {size} bytes"
    print("bytes per case:", sizes)


if __name__ == "__main__":
    main()
