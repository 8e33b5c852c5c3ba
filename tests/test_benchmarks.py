"""The benchmarks end in one line when they cannot run, and run where the tests' extras are not
installed: they borrow the tests' servers (tests/postgres.py, tests/services.py) but not pytest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
EXIT_USAGE = 2
#: Loads benchmarks/distributed.py as a script does (its main not run) with pytest unimportable.
WITHOUT_PYTEST = """
import importlib.util, sys
sys.modules["pytest"] = None
spec = importlib.util.spec_from_file_location("distributed", "benchmarks/distributed.py")
spec.loader.exec_module(importlib.util.module_from_spec(spec))
"""


def test_the_quality_benchmark_refuses_a_folder_of_no_labelled_pages_in_one_line() -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/quality.py", "--corpus", "fixtures", "--only", "edunews"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == EXIT_USAGE and "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.stderr.splitlines()[-1] == "quality.py: error: fixtures: no labelled pages (folders with truth.json)"


#: Runs benchmarks/quality.py as a script with trafilatura unimportable, as pip 23 leaves it.
WITHOUT_TRAFILATURA = """
import runpy, sys
sys.modules["trafilatura"] = None
sys.argv = ["benchmarks/quality.py", "--corpus", "fixtures", "--only", "trafilatura"]
runpy.run_path("benchmarks/quality.py", run_name="__main__")
"""


def test_the_quality_benchmark_names_a_missing_anchor_and_how_to_install_it_in_one_line() -> None:
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_TRAFILATURA], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == EXIT_USAGE and "Traceback" not in done.stderr, done.stderr[-3000:]
    last = done.stderr.splitlines()[-1]
    assert last.startswith("quality.py: error: needs trafilatura: pip install -U pip && pip install -e '.[bench]'"), (
        last
    )


def test_the_distributed_benchmark_loads_without_pytest() -> None:
    done = subprocess.run([sys.executable, "-c", WITHOUT_PYTEST], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
