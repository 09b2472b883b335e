"""Run a command and report its peak memory: ``python -m tests.peak_memory OUT -- COMMAND...``.

A fresh process, so ``RUSAGE_CHILDREN`` holds only the command's own tree (its largest
process, subprocesses it waited for included). Writes ``{"returncode", "peak_rss_mb",
"seconds"}`` as JSON to ``OUT``; the command's output passes through.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    out, separator, *command = argv
    assert separator == "--", "usage: python -m tests.peak_memory OUT -- COMMAND..."
    start = time.monotonic()
    returncode = subprocess.run(command, check=False).returncode
    seconds = time.monotonic() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    result = {"returncode": returncode, "peak_rss_mb": peak_kb / 1024, "seconds": seconds}
    Path(out).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
