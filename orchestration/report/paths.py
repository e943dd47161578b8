"""How the report writes file paths: machine-independent where it can. A file in the inputs
directory is written relative to it, as the lineage of every source file already is
(``sanctions/ofac_sdn/2023-12-28/sdn.csv``); a file in the warehouse home as
``$ROUNDABOUT_HOME/...``; any other path as it is. The link behind a path still opens the file
on the machine that wrote the report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from orchestration.settings import HOME_VAR


@dataclass(frozen=True)
class PathLabels:
    home: Path
    inputs: Path | None = None

    def label(self, path: str | Path) -> str:
        target = Path(path)
        if not target.is_absolute():
            return str(path)
        for root, prefix in ((self.inputs, ""), (self.home, f"${HOME_VAR}/")):
            if root is not None and target.is_relative_to(root):
                return prefix + target.relative_to(root).as_posix()
        return str(path)
