#!/usr/bin/env python3
"""Per-kernel share of DMA bytes in 128-byte-aligned blocks of 256 bytes or more, from emitted READMEs.

Usage: scripts/dma-aligned-share.py SHAPES.csv EMIT_DIR

EMIT_DIR is what `swatop emit --shapes SHAPES.csv ... --out EMIT_DIR` wrote: one line_N folder per
row of the shapes file (N its line number). Each README's profile prints, per core group, the
kernel's DMA in MiB and the share of it in that form; this prints core group 0's figures per row
(every group moves the same amount in the tuned ResNet-50 kernels) and the byte-weighted total.
"""

import csv
import os
import re
import sys

PROFILE = re.compile(r"CG 0: .*?DMA ([0-9.]+) MiB a kernel at [0-9.]+ GB/s, ([0-9]+)% of it in 128-byte-aligned blocks")


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    shapes, out = argv[1], argv[2]
    with open(shapes, newline="") as handle:
        lines = [(n, row) for n, row in enumerate(handle, start=1)]
    header = None
    total = aligned = 0.0
    full = kernels = 0
    print("line,layer,dma_mib,aligned_wide_percent")
    for n, text in lines:
        if text.startswith("#") or not text.strip():
            continue
        row = next(csv.reader([text]))
        if header is None:
            header = row
            continue
        layer = row[header.index("layer")] if "layer" in header else ""
        readme = os.path.join(out, f"line_{n}", "README.md")
        if not os.path.exists(readme):
            print(f"{n},{layer},,missing")
            continue
        with open(readme) as handle:
            match = PROFILE.search(handle.read())
        if match is None:
            print(f"{n},{layer},,no profile line")
            continue
        mib, percent = float(match.group(1)), int(match.group(2))
        total += mib
        aligned += mib * percent / 100
        kernels += 1
        full += percent == 100
        print(f"{n},{layer},{mib:.1f},{percent}")
    if kernels:
        print(f"# {kernels} kernels, {total:.1f} MiB a core group, {100 * aligned / total:.1f}% aligned and wide, {full} kernels at 100%")


if __name__ == "__main__":
    main(sys.argv)
