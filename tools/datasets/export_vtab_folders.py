#!/usr/bin/env python3
"""Export VTAB's structured tasks from tensorflow_datasets into class folders for percept.

Writes <OUT>/<task>/{train,val,test}/<label>/<index>.png, percept's `folders` layout
(`percept eval knn|linear|rag --data <OUT>/<task>`). Tasks, TFDS builders, labels and splits follow
VTAB's definitions (google-research/task_adaptation, task_adaptation/data/*.py):

  task                  builder          label                                         splits (train / val / test)
  dsprites_location     dsprites:2.*.*   label_x_position (32 values) // 2 -> 16       train[:80%] / train[80%:90%] / train[90%:]
  dsprites_orientation  dsprites:2.*.*   label_orientation (40 values) // 2.5 -> 16    train[:80%] / train[80%:90%] / train[90%:]
  smallnorb_azimuth     smallnorb:2.*.*  label_azimuth (18)                            train / test[:50%] / test[50%:]
  smallnorb_elevation   smallnorb:2.*.*  label_elevation (9)                           train / test[:50%] / test[50%:]
  clevr_count           clevr:3.*.*      number of objects - 3 (8)                     train[:90%] / train[90%:] / validation
  clevr_distance        clevr:3.*.*      nearest object's pixel_coords depth binned    train[:90%] / train[90%:] / validation
                                         at 8, 8.5, 9, 9.5, 10 (6)
  dmlab                 dmlab:2.0.0      label (6)                                     train / validation / test
  kitti_distance        kitti:3.*.*      nearest car/van/truck depth binned at 8, 20   train / validation / test
                                         m, or no vehicle (4)

--vtab1k keeps the first 800 images of train and the first 200 of val (VTAB-1k's train800 and
val200); test stays whole. Grey images (dSprites, SmallNORB) are written as RGB, dSprites' 0/1
pixels as 0/255. Folder names are the class numbers, zero-padded.

Needs tensorflow and tensorflow_datasets (`pip install tensorflow tensorflow-datasets`); TFDS
downloads the sources on first use (DMLab and KITTI are several GB). Not run by percept's tests.
Usage: export_vtab_folders.py OUT [--tasks dmlab,clevr_count,...] [--vtab1k] [--data-dir TFDS_DIR]
"""
import argparse
import os

import numpy as np


def bin_index(value, thresholds):
    """The largest i with thresholds[i] < value (VTAB's `reduce_max(where(thrs - v < 0))`)."""
    return int(np.max(np.nonzero(np.asarray(thresholds) < value)[0]))


def clevr_distance(ex):
    return bin_index(np.min(ex["objects"]["pixel_coords"][:, 2]), [0.0, 8.0, 8.5, 9.0, 9.5, 10.0, 100.0])


def kitti_distance(ex):
    z = ex["objects"]["location"][:, 2][ex["objects"]["type"] < 3]  # Car, Van, Truck
    return bin_index(np.min(np.append(z, 1000.0)), [-100.0, 8.0, 20.0, 999.0])


EIGHTY_TEN_TEN = ("train[:80%]", "train[80%:90%]", "train[90%:]")
NORB_SPLITS = ("train", "test[:50%]", "test[50%:]")
CLEVR_SPLITS = ("train[:90%]", "train[90%:]", "validation")
OWN_SPLITS = ("train", "validation", "test")

TASKS = {
    "dsprites_location": ("dsprites:2.*.*", EIGHTY_TEN_TEN, lambda ex: int(ex["label_x_position"] // 2)),
    "dsprites_orientation": ("dsprites:2.*.*", EIGHTY_TEN_TEN, lambda ex: int(ex["label_orientation"] // 2.5)),
    "smallnorb_azimuth": ("smallnorb:2.*.*", NORB_SPLITS, lambda ex: int(ex["label_azimuth"])),
    "smallnorb_elevation": ("smallnorb:2.*.*", NORB_SPLITS, lambda ex: int(ex["label_elevation"])),
    "clevr_count": ("clevr:3.*.*", CLEVR_SPLITS, lambda ex: len(ex["objects"]["size"]) - 3),
    "clevr_distance": ("clevr:3.*.*", CLEVR_SPLITS, clevr_distance),
    "dmlab": ("dmlab:2.0.0", OWN_SPLITS, lambda ex: int(ex["label"])),
    "kitti_distance": ("kitti:3.*.*", OWN_SPLITS, kitti_distance),
}


def rgb(image, builder):
    image = np.asarray(image)
    if builder.startswith("dsprites"):
        image = image * 255
    if image.ndim == 3 and image.shape[2] == 1:
        image = np.repeat(image, 3, axis=2)
    return image.astype(np.uint8)


def export(task, out, vtab1k, data_dir):
    import tensorflow_datasets as tfds
    from PIL import Image

    builder, splits, label = TASKS[task]
    for name, spec, keep in zip(("train", "val", "test"), splits, (800, 200, None)):
        dataset = tfds.load(builder, split=spec, data_dir=data_dir, shuffle_files=False)
        if vtab1k and keep is not None:
            dataset = dataset.take(keep)
        count = 0
        for index, ex in enumerate(tfds.as_numpy(dataset)):
            folder = os.path.join(out, task, name, "%02d" % label(ex))
            os.makedirs(folder, exist_ok=True)
            Image.fromarray(rgb(ex["image"], builder)).save(os.path.join(folder, "%06d.png" % index))
            count += 1
        print("%s %s (%s): %d images" % (task, name, spec, count))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--vtab1k", action="store_true")
    parser.add_argument("--data-dir", default=None, help="TFDS data directory (default: TFDS's own)")
    args = parser.parse_args()
    for task in args.tasks.split(","):
        if task not in TASKS:
            parser.error("unknown task %r; choose from %s" % (task, ", ".join(TASKS)))
        export(task, args.out, args.vtab1k, args.data_dir)


if __name__ == "__main__":
    main()
