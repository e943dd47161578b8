"""Rebuild data/sample/trade/baci/: copy CEPII's code tables, regenerate the synthetic panel.

The two code tables are real CEPII files, copied byte for byte from the folder of a full BACI
download (``--shared DIR``), which a fresh clone does not have; pass ``--panel-only`` there.
The yearly BACI files are synthetic, written by tools/synthetic/baci_panel.py.

    uv run python -m tools.samples.build_sample_baci --shared DIR
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from tools.synthetic.baci_panel import (
    COUNTRY_TABLE,
    PRODUCT_TABLE,
    SAMPLE_DIR,
    write_sample,
)


def copy_code_tables(shared: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in (COUNTRY_TABLE, PRODUCT_TABLE):
        copied.append(Path(shutil.copyfile(shared / name, out / name)))
    return copied


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, help="folder of CEPII's tables")
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR)
    parser.add_argument("--panel-only", action="store_true", help="do not copy the code tables")
    args = parser.parse_args(argv)
    if args.shared is None and not args.panel_only:
        parser.error("--shared DIR is required unless --panel-only")
    written = [] if args.panel_only else copy_code_tables(args.shared, args.out)
    written += write_sample(args.out)
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
