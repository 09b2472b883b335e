"""Run the conformance suite with ``--target-url`` against a freshly served reference app.

``python -m tests.run_served [pytest args]``: starts ``python -m reference_app serve`` on a
free loopback port (settings from the environment or ./.env), runs
``pytest --pyargs conformance --target-url=URL [pytest args]``, stops the server and
exits with pytest's status. The tox ``fuzz`` env uses it for the URL mode.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support import REPO_ROOT, served_reference


def main(argv: list[str]) -> int:
    env = dict(os.environ)
    with served_reference(env) as url:
        command = [sys.executable, "-m", "pytest", "--pyargs", "conformance",
                   f"--target-url={url}", *argv]  # fmt: skip
        return subprocess.run(command, cwd=REPO_ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
