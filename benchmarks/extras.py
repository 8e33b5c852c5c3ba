"""Which optional package a benchmark lacks, said in one line before it starts.

A module can be found and still fail to import: pip 23, the pip ``python3 -m venv`` gives Python 3.11,
installs trafilatura without the lxml HTML cleaner it imports. So each module is imported here, not
only looked up, and the line says to upgrade pip before installing the extras.
"""

from __future__ import annotations

import importlib


def missing_extras(modules: dict[str, str]) -> str | None:
    """The install command for the extras whose modules fail to import, or None when all import.

    ``modules`` maps each module a benchmark needs to the project extra that installs it.
    """
    missing: dict[str, str] = {}
    for module, extra in modules.items():
        try:
            importlib.import_module(module)
        except ImportError:
            missing[module] = extra
    if not missing:
        return None
    extras = ",".join(sorted(set(missing.values())))
    return f"needs {', '.join(missing)}: pip install -U pip && pip install -e '.[{extras}]'"
