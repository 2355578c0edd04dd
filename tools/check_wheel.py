"""After ``nox -s wheel``: prove the build came from the installed wheel, its assets included.

Run in the fresh virtualenv, from a folder outside the checkout: the
``publish`` imported is the installed one, its styles, fonts (with their
licence) and print profile are package data, and the build folder given
holds every edition and a manifest.
"""

from __future__ import annotations

import json
import sys
import sysconfig
from importlib import resources
from pathlib import Path


def main(out: Path) -> int:
    import publish
    from publish import styles

    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    package = Path(publish.__file__).resolve().parent
    assets = Path(str(resources.files("publish") / "_styles")).resolve()
    problems = []
    if not package.is_relative_to(site):
        problems.append(f"publish was imported from {package}, not from the installed wheel in {site}")
    if assets != styles.DEFAULT:
        problems.append(f"styles.DEFAULT is {styles.DEFAULT}, not the package data {assets}")
    for name in ("print.css", "epub.css", "web.css", "fonts/LICENSE-EBGaramond.txt", "icc/FOGRA39L.icc"):
        if not (assets / name).is_file():
            problems.append(f"the wheel lacks {name}")
    if not list((assets / "fonts").glob("*.otf")):
        problems.append("the wheel lacks the fonts")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["outputs"]:
        if not (out / entry["path"]).is_file():
            problems.append(f"the manifest lists {entry['path']}, which is not in {out}")
    editions = [p for p in out.rglob("*") if p.suffix in (".pdf", ".epub")]
    if len(editions) < 3 or not (out / "html" / "index.html").is_file():
        problems.append(f"{out} lacks an edition: {sorted(p.name for p in out.iterdir())}")
    for problem in problems:
        print(f"wheel check: {problem}", file=sys.stderr)
    if not problems:
        print(f"wheel check: publish {publish.__version__} from {package}, its styles, fonts and profile installed")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
