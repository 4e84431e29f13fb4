"""Row 5. Peak memory during fit beyond the input (tracemalloc).

tracemalloc sees numpy's allocations but not BLAS workspaces, and slows the
fits it watches, so this row reports memory only.
"""

import statistics

from common import ALPHA, logreg
from harness import fmt_times, log, peak_memory, quiet_fit, ratio, verdict
from sklinear import SoftmaxClassifier

NUMBER = "5"


def measure(workload):
    """Peak extra bytes of default fits on the training split, per repeat."""
    X, y = workload.train
    log("[5] peak memory")
    ours = SoftmaxClassifier(alpha=ALPHA)
    lr = logreg(X.shape[0], max_iter=100)
    peaks = {"sklinear lbfgs": [], "LogisticRegression": []}
    for _ in range(workload.repeats):
        peaks["sklinear lbfgs"].append(peak_memory(lambda: quiet_fit(ours, X, y)))
        peaks["LogisticRegression"].append(peak_memory(lambda: quiet_fit(lr, X, y)))
    return {"shape": X.shape, "nbytes": X.nbytes, "peaks": peaks}


def report(data):
    """The section's lines and its summary line."""
    shape, size, peaks = data["shape"], data["nbytes"], data["peaks"]
    summary = []
    lines = [
        "## 5. Peak memory during fit beyond the input (tracemalloc)",
        "",
        f"Default fits (SoftmaxClassifier(alpha=1e-4), LogisticRegression at the "
        f"same C) on X of {shape[0]} x {shape[1]} float64 "
        f"({size / 2**20:.1f} MiB). Target: sklinear at most 0.3x the size of X.",
        "",
        "| estimator | peak extra, median (min-max) | / size of X | target |",
        "|---|---|---|---|",
    ]
    for name, values in peaks.items():
        frac = statistics.median(values) / size
        target = verdict(frac <= 0.3) if name.startswith("sklinear") else "anchor"
        if name.startswith("sklinear"):
            summary.append(
                (
                    "5. peak extra memory",
                    "<= 0.3x size of X",
                    f"{frac:.2f}x",
                    frac <= 0.3,
                )
            )
        lines.append(
            f"| {name} | {fmt_times(values, 2**-20, 'MiB')} | {frac:.2f}x | {target} |"
        )
    r = ratio(peaks["sklinear lbfgs"], peaks["LogisticRegression"])
    return lines + ["", f"sklinear / LogisticRegression: {r:.2f}x", ""], summary
