"""Build hook for the suite's wheel: the front-end files it serves that git does not hold.

- ``certification/static/certification/offline-verifier.js`` is bundled by esbuild from
  ``certification/verifier/`` (``npm run build``); it is built here when missing and node_modules exists.
- ``courses/static/courses/offline/`` (the offline lessons' service worker and page loader) is built by
  esbuild from ``courses/offline/`` (``npm run build:sw``), the same way.
- The H5P player (``h5p-standalone``, an npm package) is copied from ``node_modules`` into the wheel as
  ``courses/static/h5p-standalone/``, so a host site serves it with no STATICFILES_DIRS entry.

Each app's catalogue (``<app>/locale/``) is package data (pyproject.toml), so a host site's Bengali
and Dzongkha pages are translated without a LOCALE_PATHS entry.

Without the first two the wheel would install pages whose activities cannot play, so the build stops and says
what to run (``npm ci && npm run build``, or ``make frontend``). Everything else is in pyproject.toml.
"""

import shutil
import subprocess  # noqa: S404 - runs npm from the project's own package.json
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
VERIFIER = Path("certification/static/certification/offline-verifier.js")
SERVICE_WORKER = Path("courses/static/courses/offline/sw.js")  # and offline.js beside it (npm run build:sw)
PLAYER = Path("node_modules/h5p-standalone/dist")
PLAYER_IN_WHEEL = Path("courses/static/h5p-standalone")


class BuildWithFrontEnd(build_py):
    def run(self) -> None:
        if not (HERE / VERIFIER).exists():
            if not (HERE / "node_modules").exists() or shutil.which("npm") is None:
                raise SystemExit(f"{VERIFIER} is missing: run `npm ci && npm run build` before building the suite.")
            subprocess.run(["npm", "run", "-s", "build"], cwd=HERE, check=True)  # noqa: S603, S607
        if not (HERE / SERVICE_WORKER).exists():
            if not (HERE / "node_modules").exists() or shutil.which("npm") is None:
                raise SystemExit(f"{SERVICE_WORKER} is missing: run `npm ci && npm run build:sw` (or `make frontend`).")
            subprocess.run(["npm", "run", "-s", "build:sw"], cwd=HERE, check=True)  # noqa: S603, S607
        if not (HERE / PLAYER / "main.bundle.js").exists():
            raise SystemExit(f"{PLAYER} is missing: run `npm ci` before building the suite (the H5P player).")
        super().run()
        target = Path(self.build_lib) / PLAYER_IN_WHEEL
        if not self.dry_run:
            shutil.copytree(HERE / PLAYER, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.d.ts"))


setup(cmdclass={"build_py": BuildWithFrontEnd})
