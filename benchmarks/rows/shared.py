"""Row 8. Robust under a shared machine: default fits idle and next to a
competing CPU-bound process."""

import os

from common import ALPHA, N_MEDIUM, logreg
from harness import competing_process, fmt_times, interleaved, log, quiet_fit, ratio
from sklinear import SoftmaxClassifier

NUMBER = "8"


def measure(workload):
    """Digits and the first N_MEDIUM rows of the training split."""
    return [
        measure_one("digits", *workload.digits, workload.repeats),
        measure_one(workload.medium_name, *workload.medium, workload.repeats),
    ]


def measure_one(name, X, y, repeats):
    """Default fits idle and next to a CPU-bound process (alternated per repeat)."""
    ours = SoftmaxClassifier(alpha=ALPHA)
    lr = logreg(X.shape[0])
    functions = {
        "ours": lambda: quiet_fit(ours, X, y),
        "lr": lambda: quiet_fit(lr, X, y),
    }
    times = {"idle": {k: [] for k in functions}, "busy": {k: [] for k in functions}}
    log(f"[8] {name}: idle / busy x{repeats}, interleaved")
    for _ in range(repeats):
        for k, v in interleaved(functions, 1).items():
            times["idle"][k] += v
        with competing_process():
            busy = interleaved(functions, 1)
        for k, v in busy.items():
            times["busy"][k] += v
    return {"name": name, "shape": X.shape, "times": times}


def report(results):
    """The section's lines and its summary lines (no target: busy next to idle)."""
    summary = []
    lines = [
        "## 8. Robust under a shared machine",
        "",
        "Default fits, SoftmaxClassifier(alpha=1e-4) (its own BLAS threading "
        "policy) and LogisticRegression at the same C (default tol, default "
        "threading), on the standardised digits and on the first "
        f"{N_MEDIUM // 1000}k rows of the synthetic training split: idle, and "
        "with a competing CPU-bound process running (one child Python process "
        "spinning in a pure-Python loop, started 0.5 s before the timings and "
        "terminated after them). Idle and busy alternate per repeat, each "
        "timing the two estimators interleaved. Slowdown = busy / idle "
        f"(medians); on this machine ({os.cpu_count()} logical cores) the "
        "spinner takes one core. No numeric target in the issue (it asks for "
        "the busy time next to the idle time).",
        "",
        "| data | estimator | idle | busy | slowdown | ratio to LR idle "
        "| ratio to LR busy |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        idle, busy = r["times"]["idle"], r["times"]["busy"]
        for key, label in (("ours", "sklinear"), ("lr", "LogisticRegression")):
            slow = ratio(busy[key], idle[key])
            if key == "ours":
                ri = f"{ratio(idle['ours'], idle['lr']):.2f}x"
                rb = f"{ratio(busy['ours'], busy['lr']):.2f}x"
            else:
                ri = rb = "anchor"
            lines.append(
                f"| {r['name']} | {label} | {fmt_times(idle[key])} | "
                f"{fmt_times(busy[key])} | {slow:.2f}x | {ri} | {rb} |"
            )
        summary.append(
            (
                f"8. shared machine, {r['name']}",
                "no target (busy next to idle)",
                f"slowdown sklinear {ratio(busy['ours'], idle['ours']):.2f}x, "
                f"LR {ratio(busy['lr'], idle['lr']):.2f}x; sklinear/LR busy "
                f"{ratio(busy['ours'], busy['lr']):.2f}x",
                None,
            )
        )
    return lines + [""], summary
