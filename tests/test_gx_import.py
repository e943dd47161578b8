"""Great Expectations imports pyspark's Spark Connect module when pyspark is installed; without
the client's packages that import calls sys.exit in a process whose main module has no file, such
as `python -c`, the way Dagster starts runs launched from the UI (a UI run then failed in its
first ingest step with "SystemExit: 0")."""

from __future__ import annotations

import subprocess
import sys

CODE = (
    "from orchestration.checks.gx_suites import import_great_expectations\n"
    "import_great_expectations()\n"
    "print('imported')\n"
)


def test_great_expectations_imports_in_a_process_without_a_main_file():
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("imported"), (done.stdout, done.stderr[-2000:])
