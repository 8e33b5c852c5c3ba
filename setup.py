"""For ``scrapyd-deploy``, which builds the project's egg by running ``setup.py bdist_egg``: without this
file it writes its own, which leaves out the profiles, templates and demo pages. Everything else about
the package is in pyproject.toml."""

from setuptools import setup

setup()
