#!/usr/bin/python3
"""Writes the image fixtures for dev.percept.image's tests into src/test/resources/images/.

Run from the repository root with /usr/bin/python3 (Pillow 9.4, numpy); the YCCK JPEG needs
`java` on the PATH (tools/reference/WriteYcckJpeg.java).

- Test images in the formats ImageDecoder must read, each with NAME.rgb.npy: Pillow's decoded
  pixels (ImageOps.exif_transpose, then convert("RGB")), uint8 HxWx3.
- Pillow's Image.resize results for BICUBIC and BILINEAR at several sizes, uint8 HxWx3.
- torchvision's preprocessing of one image in both modes, float32 CHW.
"""
import pathlib
import struct
import subprocess
import tempfile
import zlib

import numpy as np
import torch
from PIL import Image, ImageOps
from torchvision import transforms

OUT = pathlib.Path("src/test/resources/images")
OUT.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(1234)


def photo(width, height):
    """Gradients, a sinusoid, sharp-edged shapes and a noisy patch: content that exposes filter errors."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = 255 * x / (width - 1)
    g = 128 + 100 * np.sin(x / 3.0) * np.cos(y / 5.0)
    b = 255 * y / (height - 1)
    img = np.stack([r, g, b], axis=-1)
    img[height // 4: height // 2, width // 5: width // 2] = [250, 20, 30]
    img[height // 2:, width * 2 // 3:] = [10, 10, 10]
    h0, w0 = height * 5 // 8, width // 8
    img[h0: h0 + height // 4, w0: w0 + width // 4] = rng.integers(0, 256, (height // 4, width // 4, 3))
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def pattern(width, height):
    """A formula image the Java test recomputes, so a large source needs no fixture file."""
    y, x = np.mgrid[0:height, 0:width].astype(np.int64)
    r = (x * x + 3 * y) % 256
    g = (x * y // 7) % 256
    b = np.where(((x // 16) + (y // 16)) % 2 == 0, 230, 25)
    return np.stack([r, g, b], axis=-1).astype(np.uint8)


def save_reference(name, path):
    with Image.open(path) as im:
        rgb = ImageOps.exif_transpose(im).convert("RGB")
        np.save(OUT / f"{name}.rgb.npy", np.asarray(rgb))


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png16(path, samples):
    """A 16-bit PNG (gray, or RGB), which Pillow cannot write from an RGB image."""
    height, width = samples.shape[:2]
    color_type = 0 if samples.ndim == 2 else 2
    rows = samples.astype(">u2").reshape(height, -1).tobytes()
    stride = len(rows) // height
    raw = b"".join(b"\x00" + rows[i * stride:(i + 1) * stride] for i in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 16, color_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(raw, 9))
                     + png_chunk(b"IEND", b""))


def decode_fixtures():
    base = Image.fromarray(photo(48, 32))
    cases = {}

    def add(name, image, fmt, **kw):
        path = OUT / name
        image.save(path, fmt, **kw)
        cases[name] = path

    add("png_rgb.png", base, "PNG")
    alpha = Image.fromarray(np.tile(np.linspace(0, 255, 48).astype(np.uint8), (32, 1)))
    rgba = base.copy()
    rgba.putalpha(alpha)
    add("png_rgba.png", rgba, "PNG")
    add("png_gray.png", base.convert("L"), "PNG")
    gray_alpha = base.convert("L")
    gray_alpha.putalpha(alpha)
    add("png_gray_alpha.png", gray_alpha, "PNG")
    palette = base.quantize(24)
    add("png_palette_trns.png", palette, "PNG", transparency=3)
    add("png_palette_4bit.png", base.quantize(12), "PNG", bits=4)
    add("png_1bit.png", base.convert("1"), "PNG")

    wide = photo(48, 32).astype(np.uint16) * 257 + rng.integers(0, 257, (32, 48, 3)).astype(np.uint16)
    write_png16(OUT / "png_rgb16.png", wide)
    write_png16(OUT / "png_gray16.png", wide[:, :, 1])

    add("jpeg_photo.jpg", Image.fromarray(photo(128, 96)), "JPEG")
    add("jpeg_rgb420.jpg", base, "JPEG", quality=90)
    add("jpeg_rgb422.jpg", base, "JPEG", quality=90, subsampling=1)
    add("jpeg_rgb444.jpg", base, "JPEG", quality=90, subsampling=0)
    add("jpeg_progressive.jpg", base, "JPEG", quality=85, progressive=True)
    add("jpeg_gray.jpg", base.convert("L"), "JPEG", quality=90)
    add("jpeg_cmyk.jpg", base.convert("CMYK"), "JPEG", quality=90)
    add("bmp_rgb.bmp", base, "BMP")
    add("gif_palette.gif", base.quantize(32), "GIF")

    # Orientation 2..8; a non-square picture with a distinct corner shows any wrong transpose.
    small = Image.fromarray(photo(24, 16))
    for orientation in range(2, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        add(f"jpeg_exif{orientation}.jpg", small, "JPEG", quality=95, exif=exif.tobytes())

    ycck = OUT / "jpeg_ycck.jpg"
    write_ycck(ycck, photo(48, 32))
    cases[ycck.name] = ycck

    for name, path in cases.items():
        if name in ("png_rgb16.png", "png_gray16.png"):
            continue
        save_reference(name, path)

    # Pillow keeps the high byte of 16-bit RGB samples, and clips 16-bit gray ("I" mode) to 255
    # when converting to RGB; the decoder keeps the high byte for both.
    with Image.open(OUT / "png_rgb16.png") as im:
        assert np.array_equal(np.asarray(im.convert("RGB")), (wide >> 8).astype(np.uint8))
    np.save(OUT / "png_rgb16.png.rgb.npy", (wide >> 8).astype(np.uint8))
    np.save(OUT / "png_gray16.png.rgb.npy", np.repeat((wide[:, :, 1:2] >> 8).astype(np.uint8), 3, axis=2))


def write_ycck(path, rgb):
    """YCCK samples as Photoshop stores them: Y, Cb, Cr of the inverted CMY channels, then K."""
    cmy = 255.0 - rgb.astype(np.float64)
    y = 0.299 * cmy[..., 0] + 0.587 * cmy[..., 1] + 0.114 * cmy[..., 2]
    cb = 128 - 0.168736 * cmy[..., 0] - 0.331264 * cmy[..., 1] + 0.5 * cmy[..., 2]
    cr = 128 + 0.5 * cmy[..., 0] - 0.418688 * cmy[..., 1] - 0.081312 * cmy[..., 2]
    k = np.tile(np.linspace(255, 120, rgb.shape[1]), (rgb.shape[0], 1))
    ycck = np.clip(np.rint(np.stack([y, cb, cr, k], axis=-1)), 0, 255).astype(np.uint8)
    with tempfile.NamedTemporaryFile(suffix=".raw") as raw:
        raw.write(ycck.tobytes())
        raw.flush()
        subprocess.run(["java", "tools/reference/WriteYcckJpeg.java", raw.name, str(rgb.shape[1]), str(rgb.shape[0]),
                        str(path)], check=True)
    with Image.open(path) as im:
        assert im.mode == "CMYK" and im.info.get("adobe_transform") == 2, (im.mode, im.info)


RESIZE_SIZES = [(224, 224), (23, 17), (113, 90), (151, 97), (64, 96), (128, 40)]


def resize_fixtures():
    source = Image.fromarray(photo(128, 96))
    source.save(OUT / "resize_source.png")
    for width, height in RESIZE_SIZES:
        for name, flt in (("bicubic", Image.Resampling.BICUBIC), ("bilinear", Image.Resampling.BILINEAR)):
            if (width, height) == (224, 224) and name == "bilinear":
                continue  # keeps the fixtures small; bilinear enlarging is covered by 151x97
            np.save(OUT / f"resize_{name}_{width}x{height}.npy", np.asarray(source.resize((width, height), flt)))
    big = Image.fromarray(pattern(1024, 768))
    np.save(OUT / "pattern1024x768_bicubic_224x224.npy", np.asarray(big.resize((224, 224), Image.Resampling.BICUBIC)))
    np.save(OUT / "pattern1024x768_bilinear_97x61.npy", np.asarray(big.resize((97, 61), Image.Resampling.BILINEAR)))


def preprocessing_fixtures():
    source = Image.open(OUT / "resize_source.png")  # 128x96
    norm = transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))
    squash = transforms.Compose([transforms.Resize((24, 32), transforms.InterpolationMode.BICUBIC),
                                 transforms.ToTensor(), norm])
    # Shorter side 96 -> 41, longer 128 -> int(41 * 128 / 96) = 54; the crop offsets
    # round((54 - 31) / 2) = 12 (11.5, half to even) and round((41 - 28) / 2) = 6 (6.5).
    crop = transforms.Compose([transforms.Resize(41, transforms.InterpolationMode.BILINEAR),
                               transforms.CenterCrop((28, 31)), transforms.ToTensor(), norm])
    with torch.no_grad():
        np.save(OUT / "preprocess_squash_24x32_bicubic.npy", squash(source).numpy().astype(np.float32))
        np.save(OUT / "preprocess_shorter41_crop28x31_bilinear.npy", crop(source).numpy().astype(np.float32))


if __name__ == "__main__":
    decode_fixtures()
    resize_fixtures()
    preprocessing_fixtures()
