"""Packaging beyond what pyproject.toml can say: ship ``styles/`` inside the package.

The design keeps the stylesheets, fonts (with their licence) and the print
profile in ``styles/`` at the top of the repository. A wheel must carry them,
so ``styles/`` is installed as the data package ``publish._styles``;
``publish.styles.DEFAULT`` finds it there with importlib.resources (and
beside the package in a checkout or an editable install).
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["publish", "publish.*"]), "publish._styles"],
    package_dir={"publish._styles": "styles"},
    package_data={"publish._styles": ["*.css", "fonts/*", "icc/*"]},
    include_package_data=False,
)
