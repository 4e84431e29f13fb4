"""The OpenBLAS overrides the benchmark runs without, and the re-exec that drops them.

These machines set ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE`` for older
OpenBLAS builds; to time the current numpy as it runs elsewhere, ``run.py``
re-executes itself once with both unset. OpenBLAS reads them when numpy loads
it, so this module imports neither numpy nor anything that does.
"""

import os
import sys

OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
#: Set in the re-executed process to the overrides it was started without.
MARKER = "SKLINEAR_BENCH_UNSET"


def reexec_without_overrides():
    """Re-run this script with both OpenBLAS overrides unset (this process only)."""
    if MARKER in os.environ:
        return
    present = {name: os.environ[name] for name in OVERRIDES if name in os.environ}
    env = {k: v for k, v in os.environ.items() if k not in OVERRIDES}
    env[MARKER] = ";".join(f"{k}={v}" for k, v in present.items()) or "-"
    os.execve(sys.executable, [sys.executable, *sys.argv], env)


def unset_overrides():
    """The overrides the re-exec removed, as ``NAME=value;...``; "-" if none were set.

    Empty when the process was not re-executed (not started by ``run.py``).
    """
    return os.environ.get(MARKER, "")
