#!/usr/bin/python3
"""Writes small .npy files with numpy for NpyTest: one per supported dtype, and the malformed
kinds the reader must reject. Run from the repository root with /usr/bin/python3 (numpy)."""
import pathlib

import numpy as np

OUT = pathlib.Path("src/test/resources/npy")
OUT.mkdir(parents=True, exist_ok=True)

values = np.array([[0.5, -1.25, 3.0], [1e-3, 65504.0, -0.0]], dtype=np.float32)
np.save(OUT / "f4_2x3.npy", values)
np.save(OUT / "f8_4.npy", np.array([1.5, -2.25, 1e300, 0.1], dtype=np.float64))
np.save(OUT / "i8_2x2.npy", np.array([[-3, 2**40], [0, 7]], dtype=np.int64))
np.save(OUT / "i4_3.npy", np.array([-2147483648, 0, 2147483647], dtype=np.int32))
np.save(OUT / "u1_2x2x2.npy", np.arange(8, dtype=np.uint8).reshape(2, 2, 2) * 36)
np.save(OUT / "f4_scalar.npy", np.float32(2.5))
np.save(OUT / "f4_0x4.npy", np.zeros((0, 4), dtype=np.float32))

np.save(OUT / "bad_fortran.npy", np.asfortranarray(values))
np.save(OUT / "bad_bigendian.npy", values.astype(">f4"))
np.save(OUT / "bad_object.npy", np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
np.save(OUT / "bad_float16.npy", values.astype(np.float16))
(OUT / "bad_truncated.npy").write_bytes((OUT / "f4_2x3.npy").read_bytes()[:-5])
