#!/usr/bin/python3
"""Regenerate the PyTorch checkpoint fixtures under src/test/resources/torch/.

Run with Debian's interpreter (torch 1.13): /usr/bin/python3 tools/reference/make_torch_fixtures.py

Everything here is written by torch.save itself, except the hostile corpus, whose pickles are
assembled opcode by opcode and are never unpickled by this script. Contents:

- tensors/: small state dicts with shared-storage views (q/k/v slices of one qkv tensor, a
  transposed view, a strided column), F16, BF16, int64 and bool tensors, saved as zip, legacy,
  .pth.tar and in each wrapper; expected.safetensors holds every float tensor's values as
  contiguous F32 (exact for F16/BF16), the reference the Java test compares against exactly.
- vit/: a tiny timm-layout ViT (the dino_timm parity config scaled down to width 16) as
  model.safetensors (the safetensors route) and as .pth files: zip, legacy, F16, views, the
  DINO training-checkpoint wrapper, a sharded pytorch_model.bin, and LoRA adapters as
  adapter_model.bin and adapter_model.safetensors.
- open_clip/: the open_clip parity fixture's weights as open_clip_pytorch_model.bin.
- hostile/: files that must be refused (see HOSTILE below).
"""

import argparse
import io
import json
import pickletools
import shutil
import struct
import sys
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_parity_fixtures import read_safetensors, write_safetensors  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "test" / "resources" / "torch"
PARITY = ROOT / "src" / "test" / "resources" / "parity"
MARKER = "/tmp/percept-torch-fixture-ran"  # what the os.system pickle would create if it ever ran

DIM, DEPTH, HEADS, MLP, PATCH, IMAGE = 16, 2, 2, 32, 8, 16
RANK, ALPHA = 2, 4


def save(obj, path, legacy=False):
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(obj, path, _use_new_zipfile_serialization=not legacy)


# ----------------------------------------------------------------------------
# tensors/: values, views and wrappers


def small_state_dict(gen):
    qkv = torch.randn(6, 4, generator=gen)
    square = torch.randn(3, 5, generator=gen)
    sd = OrderedDict()
    sd["a.weight"] = torch.randn(4, 3, generator=gen)
    sd["a.bias"] = torch.randn(4, generator=gen)
    sd["q"], sd["k"], sd["v"] = qkv[0:2], qkv[2:4], qkv[4:6]  # one storage, three offsets
    sd["qkv"] = qkv
    sd["transposed"] = square.t()  # stride (1, 5)
    sd["column"] = square[:, 1]  # stride (5,), offset 1
    sd["scalar"] = torch.tensor(2.5)
    sd["half"] = torch.randn(2, 3, generator=gen).half()
    sd["bf16"] = torch.randn(3, 2, generator=gen).bfloat16()
    sd["half_view"] = sd["half"].t()
    sd["param"] = torch.nn.Parameter(torch.randn(2, generator=gen))  # pickled through _rebuild_parameter
    sd["num_batches_tracked"] = torch.tensor(7, dtype=torch.int64)
    sd["mask"] = torch.tensor([True, False, True])
    sd._metadata = OrderedDict([("", {"version": 1})])  # what Module.state_dict() attaches (a BUILD on the dict)
    return sd


def float_values(sd):
    return {k: v.detach().float().contiguous().numpy() for k, v in sd.items() if v.is_floating_point()}


def zip64_copy(source, target):
    """The entries of a torch zip rewritten with ZIP64 records throughout, as torch.save writes files over 4 GiB."""
    with zipfile.ZipFile(source) as z:
        entries = [(info.filename, z.read(info.filename), info.CRC) for info in z.infolist()]
    out, central = bytearray(), bytearray()
    for name, data, crc in entries:
        offset = len(out)
        raw = name.encode()
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(raw), 20)
        out += raw + struct.pack("<HHQQ", 1, 16, len(data), len(data)) + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 0, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                               len(raw), 28, 0, 0, 0, 0, 0xFFFFFFFF)
        central += raw + struct.pack("<HHQQQ", 1, 24, len(data), len(data), offset)
    directory_at = len(out)
    out += central
    record_at = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(entries), len(entries), len(central), directory_at)
    out += struct.pack("<IIQI", 0x07064B50, 0, record_at, 1)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    target.write_bytes(bytes(out))
    with zipfile.ZipFile(target) as z:  # Python's reader agrees
        assert z.testzip() is None and [i.filename for i in z.infolist()] == [e[0] for e in entries]


def make_tensors(gen):
    out = OUT / "tensors"
    out.mkdir(parents=True, exist_ok=True)
    sd = small_state_dict(gen)
    write_safetensors(out / "expected.safetensors", float_values(sd))
    save(sd, out / "zip.pth")
    save(sd, out / "legacy.pth", legacy=True)
    zip64_copy(out / "zip.pth", out / "zip64.pth")
    save({"state_dict": sd}, out / "wrapped_state_dict.pth.tar")
    visual = OrderedDict(("module.visual." + k, v) for k, v in sd.items())
    visual["module.token_embedding.weight"] = torch.randn(3, 2, generator=gen)  # a text tower, not selected
    save({"model": visual, "epoch": 4}, out / "wrapped_model.pt")
    save({"module": OrderedDict(("module." + k, v) for k, v in sd.items())}, out / "wrapped_module.pth")
    # The same tensors through torch's half/bf16 conversion, to check F16 and BF16 storages alone.
    low = OrderedDict([("h", sd["a.weight"].half()), ("b", sd["a.weight"].bfloat16())])
    save(low, out / "low_precision.pth")
    write_safetensors(out / "low_precision_expected.safetensors",
                      {"h": low["h"].float().numpy(), "b": low["b"].float().numpy()})


# ----------------------------------------------------------------------------
# vit/: a tiny timm ViT in every container


def tiny_vit(gen):
    def rnd(*shape, std=0.2):
        return torch.randn(*shape, generator=gen) * std

    sd = OrderedDict()
    sd["cls_token"] = rnd(1, 1, DIM)
    sd["pos_embed"] = rnd(1, 1 + (IMAGE // PATCH) ** 2, DIM)
    sd["patch_embed.proj.weight"] = rnd(DIM, 3, PATCH, PATCH, std=0.05)
    sd["patch_embed.proj.bias"] = rnd(DIM)
    for i in range(DEPTH):
        b = f"blocks.{i}."
        sd[b + "norm1.weight"] = 1 + rnd(DIM, std=0.1)
        sd[b + "norm1.bias"] = rnd(DIM, std=0.1)
        sd[b + "attn.qkv.weight"] = rnd(3 * DIM, DIM, std=0.25)
        sd[b + "attn.qkv.bias"] = rnd(3 * DIM, std=0.1)
        sd[b + "attn.proj.weight"] = rnd(DIM, DIM, std=0.25)
        sd[b + "attn.proj.bias"] = rnd(DIM, std=0.1)
        sd[b + "norm2.weight"] = 1 + rnd(DIM, std=0.1)
        sd[b + "norm2.bias"] = rnd(DIM, std=0.1)
        sd[b + "mlp.fc1.weight"] = rnd(MLP, DIM, std=0.25)
        sd[b + "mlp.fc1.bias"] = rnd(MLP, std=0.1)
        sd[b + "mlp.fc2.weight"] = rnd(DIM, MLP, std=0.18)
        sd[b + "mlp.fc2.bias"] = rnd(DIM, std=0.1)
    sd["norm.weight"] = 1 + rnd(DIM, std=0.1)
    sd["norm.bias"] = rnd(DIM, std=0.1)
    sd._metadata = OrderedDict([("", {"version": 1}), ("blocks.0", {"version": 1})])
    return sd


def as_views(sd):
    """The same values stored as views: each qkv inside one larger buffer, each proj transposed."""
    out = OrderedDict()
    for k, v in sd.items():
        if k.endswith("attn.qkv.weight"):
            buffer = torch.cat([torch.zeros(1, DIM), v, torch.zeros(2, DIM)])
            out[k] = buffer[1 : 1 + 3 * DIM]
        elif k.endswith("attn.proj.weight"):
            out[k] = v.t().contiguous().t()  # equal values, strides (1, DIM)
        else:
            out[k] = v
    return out


def vit_config():
    config = json.loads((PARITY / "dino_timm" / "model" / "config.json").read_text())
    config["architecture"] = f"vit_tiny_patch{PATCH}_{IMAGE}"
    config["num_features"] = DIM
    config["model_args"].update(img_size=IMAGE, patch_size=PATCH, embed_dim=DIM, depth=DEPTH, num_heads=HEADS,
                                mlp_ratio=MLP / DIM)
    config["pretrained_cfg"]["input_size"] = [3, IMAGE, IMAGE]
    return config


def lora_weights(gen):
    weights = OrderedDict()
    for i in range(DEPTH):
        m = f"base_model.model.blocks.{i}.attn.qkv"
        weights[m + ".lora_A.weight"] = torch.randn(RANK, DIM, generator=gen) * 0.3
        weights[m + ".lora_B.weight"] = torch.randn(3 * DIM, RANK, generator=gen) * 0.3
    return weights


def make_vit(gen):
    out = OUT / "vit"
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(vit_config(), indent=2) + "\n")
    sd = tiny_vit(gen)
    write_safetensors(out / "model.safetensors", {k: v.numpy() for k, v in sd.items()})
    save(sd, out / "zip.pth")
    save(sd, out / "legacy.pth", legacy=True)
    save(as_views(sd), out / "views.pth")
    half = OrderedDict((k, v.half()) for k, v in sd.items())
    save(half, out / "half.pth")
    write_safetensors(out / "half_expected.safetensors", {k: v.numpy() for k, v in half.items()})
    head = OrderedDict([("head.mlp.0.weight", torch.randn(4, DIM, generator=gen)), ("head.last_layer.weight_g", torch.ones(1, 4))])
    teacher = OrderedDict([("backbone." + k, v) for k, v in sd.items()] + list(head.items()))
    student_sd = OrderedDict((k, v + 1.0) for k, v in sd.items())  # different weights, to tell them apart
    student = OrderedDict([("module.backbone." + k, v) for k, v in student_sd.items()] + [("module." + k, v) for k, v in head.items()])
    args = argparse.Namespace(arch="vit_tiny", patch_size=PATCH, lr=0.0005, out_dim=4, use_fp16=False,
                              teacher_temp=0.04, global_crops_scale=(0.4, 1.0), data_path="/path/to/imagenet", seed=0)
    save({"teacher": teacher, "student": student, "args": args, "epoch": 3,
          "optimizer": {"state": {}, "param_groups": [{"lr": 0.0005, "params": [0, 1]}]},
          "dino_loss": {"center": torch.zeros(1, 4)}}, out / "dino_checkpoint.pth")
    write_safetensors(out / "student.safetensors", {k: v.numpy() for k, v in student_sd.items()})

    shards = out / "sharded"
    shards.mkdir(exist_ok=True)
    (shards / "config.json").write_text(json.dumps(vit_config(), indent=2) + "\n")
    names = list(sd)
    parts = [names[: len(names) // 2], names[len(names) // 2 :]]
    weight_map = {}
    for i, part in enumerate(parts):
        file = f"pytorch_model-0000{i + 1}-of-00002.bin"
        save(OrderedDict((k, sd[k]) for k in part), shards / file)
        weight_map.update({k: file for k in part})
    (shards / "pytorch_model.bin.index.json").write_text(json.dumps({"metadata": {}, "weight_map": weight_map}, indent=2) + "\n")

    lora = lora_weights(gen)
    config = {"peft_type": "LORA", "r": RANK, "lora_alpha": ALPHA, "lora_dropout": 0.0, "bias": "none",
              "target_modules": ["qkv"]}
    for name in ("adapter_bin", "adapter_safetensors"):
        (out / name).mkdir(exist_ok=True)
        (out / name / "adapter_config.json").write_text(json.dumps(config, indent=2) + "\n")
    save(lora, out / "adapter_bin" / "adapter_model.bin")
    write_safetensors(out / "adapter_safetensors" / "adapter_model.safetensors", {k: v.numpy() for k, v in lora.items()})


def make_open_clip():
    out = OUT / "open_clip"
    out.mkdir(parents=True, exist_ok=True)
    source = PARITY / "open_clip" / "model"
    shutil.copy(source / "open_clip_config.json", out / "open_clip_config.json")
    weights = read_safetensors(source / "open_clip_model.safetensors")
    save(OrderedDict((k, torch.from_numpy(v.copy())) for k, v in weights.items()), out / "open_clip_pytorch_model.bin")


# ----------------------------------------------------------------------------
# hostile/: assembled by hand, never unpickled here


def op_str(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def op_int(n):
    if 0 <= n < 256:
        return b"K" + bytes([n])
    if -(2**31) <= n < 2**31:
        return b"J" + struct.pack("<i", n)
    raw = n.to_bytes((n.bit_length() + 8) // 8, "little", signed=True)
    return b"\x8a" + bytes([len(raw)]) + raw


def op_tuple(items):
    return b"(" + b"".join(items) + b"t"


def op_global(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def call(module, name, *args):
    """GLOBAL module.name, an argument tuple, REDUCE: what pickle runs on load."""
    return op_global(module, name) + op_tuple(list(args)) + b"R"


def tensor_pickle(size, stride, offset=0, numel=4, storage="FloatStorage", key="0"):
    """{'w': _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())} as protocol 2."""
    pid = op_tuple([op_str("storage"), op_global("torch", storage), op_str(key), op_str("cpu"), op_int(numel)]) + b"Q"
    args = op_tuple([pid, op_int(offset), op_tuple([op_int(s) for s in size]), op_tuple([op_int(s) for s in stride]),
                     b"\x89", call("collections", "OrderedDict")])
    return b"\x80\x02}" + op_str("w") + op_global("torch._utils", "_rebuild_tensor_v2") + args + b"Rs."


def torch_zip(path, pickle_bytes, storages):
    path.parent.mkdir(parents=True, exist_ok=True)
    def entry(name):  # a fixed time, so regenerating gives the same bytes
        return zipfile.ZipInfo(name, date_time=(2026, 12, 2, 0, 0, 0))

    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr(entry("archive/data.pkl"), pickle_bytes)
        for key, data in storages.items():
            z.writestr(entry(f"archive/data/{key}"), data)
        z.writestr(entry("archive/version"), "3\n")


def legacy_file(path, object_pickle):
    magic = b"\x80\x02\x8a\x0a" + (0x1950A86A20F9469CFC6C).to_bytes(10, "little") + b"."
    protocol = b"\x80\x02" + op_int(1001) + b"."
    sys_info = b"\x80\x02}" + op_str("little_endian") + b"\x88s."
    path.write_bytes(magic + protocol + sys_info + object_pickle + b"\x80\x02].")


def dict_of(value_ops):
    return b"\x80\x02}" + op_str("w") + value_ops + b"s."


HOSTILE = {
    # name: (pickle bytes, culprit the error must name)
    "os_system": (dict_of(call("os", "system", op_str("touch " + MARKER))), "os.system"),
    "posix_system": (dict_of(call("posix", "system", op_str("touch " + MARKER))), "posix.system"),
    "builtins_eval": (dict_of(call("builtins", "eval", op_str("__import__('os').system('touch " + MARKER + "')"))),
                      "builtins.eval"),
    "builtins_getattr": (dict_of(call("builtins", "getattr", op_global("os", "path"), op_str("join"))), "builtins.getattr"),
    "subprocess_popen": (dict_of(call("subprocess", "Popen", op_tuple([op_str("touch"), op_str(MARKER)]))),
                         "subprocess.Popen"),
    "functools_partial": (dict_of(call("functools", "partial", op_global("os", "system"))), "functools.partial"),
    "inst_opcode": (b"\x80\x02}" + op_str("w") + b"(" + op_str("touch " + MARKER) + b"ios\nsystem\ns.", "INST"),
    "negative_stride": (tensor_pickle([2], [-1]), "negative"),
    "negative_offset": (tensor_pickle([2], [1], offset=-5), "negative"),
    "overflowing_stride": (tensor_pickle([4], [2**62]), "overflow"),
    "overflowing_offset": (tensor_pickle([2], [1], offset=2**63 - 1), "overflow"),
    "huge_shape": (tensor_pickle([2**20, 2**20], [2**20, 1]), "needs 4398046511104 bytes"),
    "storage_shorter_than_tensor": (tensor_pickle([10], [1]), "needs 40 bytes"),
    "unknown_dtype": (tensor_pickle([2], [1], storage="Float7Storage"), "torch.Float7Storage"),
    "build_on_list": (b"\x80\x02}" + op_str("w") + b"]}bs.", "BUILD on list"),
    "list_contains_itself": (b"\x80\x02}" + op_str("w") + b"]q\x00h\x00as.", "contains itself"),
    "deep_nesting": (b"\x80\x02}" + op_str("w") + b"]" * 5000 + b"a" * 4999 + b"s.", "nested deeper"),
}


def make_hostile():
    out = OUT / "hostile"
    out.mkdir(parents=True, exist_ok=True)
    storage = np.arange(4, dtype="<f4").tobytes()  # 16 bytes: 4 float32 elements
    culprits = {}
    for name, (pickle_bytes, culprit) in HOSTILE.items():
        pickletools.dis(pickle_bytes, out=io.StringIO())  # well-formed (parsed, never run), so a plain unpickler would obey it
        torch_zip(out / f"{name}.pth", pickle_bytes, {"0": storage})
        culprits[f"{name}.pth"] = culprit
    legacy_file(out / "os_system_legacy.pth", dict_of(call("os", "system", op_str("touch " + MARKER))))
    culprits["os_system_legacy.pth"] = "os.system"
    zipped = (OUT / "tensors" / "zip.pth").read_bytes()
    (out / "truncated_zip.pth").write_bytes(zipped[: len(zipped) * 3 // 5])
    culprits["truncated_zip.pth"] = "end-of-central-directory"
    # A zip whose data.pkl declares 4 float elements but whose storage entry holds 8 bytes.
    torch_zip(out / "short_storage_entry.pth", tensor_pickle([2], [1]), {"0": storage[:8]})
    culprits["short_storage_entry.pth"] = "storage 0 declares 4 elements"
    (out / "culprits.json").write_text(json.dumps(culprits, indent=2, sort_keys=True) + "\n")


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    gen = torch.Generator().manual_seed(20261202)
    make_tensors(gen)
    make_vit(gen)
    make_open_clip()
    make_hostile()
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"wrote {OUT} ({total} bytes)")


if __name__ == "__main__":
    main()
