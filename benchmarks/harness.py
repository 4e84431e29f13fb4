"""What every row is measured and reported with.

Interleaved timing with a settle pause, peak memory, a competing process,
progress logging, the formatting of times and verdicts, and the assembly of
the report from the sections and summary lines the rows return.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from contextlib import contextmanager

import numpy as np
import scipy
import sklearn
import threadpoolctl
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_info, threadpool_limits

import blas_env
import sklinear

#: Pause (seconds) before every timed call. OpenBLAS's and OpenMP's worker
#: threads spin for a while after a call, and a call started while they still
#: spin is slowed by them: a one-thread fit right after a default-threaded one
#: was measurably slower until the pause reached a few tenths of a second.
SETTLE = 0.25
T0 = time.perf_counter()


def log(message):
    """Progress, with the seconds since the start, on stderr."""
    print(f"[{time.perf_counter() - T0:7.1f}s] {message}", file=sys.stderr, flush=True)


def elapsed():
    """Seconds since the harness was imported, at the start of the run."""
    return time.perf_counter() - T0


# -- measuring ----------------------------------------------------------------


def interleaved(functions, repeats):
    """Time each of ``functions`` ``repeats`` times, in the order A B A B ...

    Each call starts SETTLE seconds after the previous one ended, so that
    thread pools left spinning by a call do not slow the next one.
    """
    times = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            time.sleep(SETTLE)
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return times


def pinned(function):
    """``function`` run with every thread pool limited to one thread."""

    def run():
        with threadpool_limits(limits=1):
            function()

    return run


def quiet_fit(estimator, X, y):
    """``estimator.fit(X, y)``; fits stopped by max_iter are expected here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(X, y)


def peak_memory(function):
    """Peak bytes tracemalloc sees allocated during ``function()``, beyond before."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


#: glibc's threshold above which an allocation is mapped on its own (its
#: default): fixed, so that freed large arrays leave the resident set.
MMAP_THRESHOLD = 131072


def peak_resident(data, rows, estimator):
    """Peak resident bytes of one fit in a fresh process (:mod:`resident`).

    Returns the probe's ``peak``, ``coef`` and ``nbytes``, or None where the
    kernel's resident high-water mark cannot be reset (not Linux).
    """
    if not os.path.exists("/proc/self/clear_refs"):
        return None
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_=str(MMAP_THRESHOLD))
    probe = subprocess.run(
        [sys.executable, os.path.join(here, "resident.py"), data, str(rows), estimator],
        capture_output=True,
        text=True,
        env=env,
        cwd=here,
        check=True,
    )
    return json.loads(probe.stdout.strip().splitlines()[-1])


#: A pure-Python busy loop; it also exits by itself once its parent is gone
#: (the benchmark killed without running its ``finally``), checking every ~1e6 steps.
SPINNER = """\
import os, sys
parent = int(sys.argv[1])
while True:
    for _ in range(1_000_000):
        pass
    if os.getppid() != parent:
        break
"""


@contextmanager
def competing_process(warmup=0.5):
    """A child process spinning in pure Python for the duration of the block."""
    spinner = subprocess.Popen([sys.executable, "-c", SPINNER, str(os.getpid())])
    try:
        time.sleep(warmup)
        yield spinner
    finally:
        spinner.terminate()
        try:
            spinner.wait(timeout=5)
        except subprocess.TimeoutExpired:
            spinner.kill()
            spinner.wait()


# -- formatting ---------------------------------------------------------------


def fmt_times(samples, scale=1.0, unit="s"):
    """``median unit (min-max)`` of ``samples`` times ``scale``."""
    med = statistics.median(samples) * scale
    return f"{med:.4g} {unit} ({min(samples) * scale:.3g}-{max(samples) * scale:.3g})"


def ratio(a, b):
    """The ratio of the medians of two lists of samples."""
    return statistics.median(a) / statistics.median(b)


def verdict(ok):
    """A target's cell: met, not met, or None for a row without a target."""
    if ok is None:
        return "no target"
    return "**met**" if ok else "**not met**"


# -- the report ---------------------------------------------------------------


def _proc_field(path, key, parse):
    """``parse`` of the first line of ``path`` starting with ``key``, or "unknown"."""
    with open(path) as f:
        for line in f:
            if line.startswith(key):
                return parse(line)
    return "unknown"


def machine_section(quick, repeats, small_repeats, load_before):
    """The machine, the software, the BLAS thread pools and how timings were taken."""
    cpu = _proc_field("/proc/cpuinfo", "model name", lambda s: s.split(":", 1)[1])
    mem = _proc_field(
        "/proc/meminfo", "MemTotal", lambda s: f"{int(s.split()[1]) / 2**20:.1f} GiB"
    )
    unset = blas_env.unset_overrides()
    lines = [
        "## Machine and software",
        "",
        f"- CPU: {cpu.strip()}; {os.cpu_count()} logical cores; memory {mem}",
        f"- Load average before the run: {load_before[0]:.2f} (1 min), "
        f"{load_before[1]:.2f} (5 min); after: "
        f"{os.getloadavg()[0]:.2f} (1 min)",
        f"- Python {platform.python_version()}, numpy {np.__version__}, "
        f"scipy {scipy.__version__}, scikit-learn {sklearn.__version__}, "
        f"sklinear {getattr(sklinear, '__version__', 'unknown')}, "
        f"threadpoolctl {threadpoolctl.__version__}",
        "- OpenBLAS overrides: "
        + (
            f"unset for this benchmark process only (were `{unset}`)"
            if unset not in ("", "-")
            else "none were set"
        ),
        f"- Mode: {'--quick' if quick else 'full'}, {repeats} repeats per "
        f"timing ({small_repeats} for the digits timings of rows "
        "1 and 6, fits of tens of milliseconds), interleaved A B A B with the "
        f"scikit-learn anchor, each timed call {SETTLE:g} s after the previous one "
        "ended (thread pools left spinning by a call would slow the next)",
        "",
        "Thread pools (threadpoolctl.threadpool_info()):",
        "",
        "| user_api | internal_api | version | threads | architecture | library |",
        "|---|---|---|---|---|---|",
    ]
    for pool in threadpool_info():
        lines.append(
            f"| {pool.get('user_api')} | {pool.get('internal_api')} | "
            f"{pool.get('version')} | {pool.get('num_threads')} | "
            f"{pool.get('architecture', '-')} | "
            f"{os.path.basename(pool.get('filepath', ''))} |"
        )
    return lines


def assemble(command, machine, summary, sections, notes):
    """The report's lines: header, machine, targets table, sections, notes.

    ``summary`` holds the rows' ``(row, target, measured, met)`` lines in
    section order; ``met`` is None for a row without a target.
    """
    lines = [
        "# sklinear benchmarks",
        "",
        f"Generated by `{command}` in {elapsed():.0f} s. "
        "Every number below was measured in that run. Times: median (min-max) "
        "over the repeats.",
        "",
        *machine,
        "",
        "## Targets from the performance issue",
        "",
        "| row | target | measured | met |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {verdict(d)} |" for a, b, c, d in summary],
        "",
    ]
    for section in sections:
        lines += section
    return lines + notes
