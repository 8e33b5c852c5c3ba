"""``python -m edunews``: the same as the ``edunews`` command."""

from edunews.cli import main

main()
