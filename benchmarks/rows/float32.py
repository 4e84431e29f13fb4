"""Row 4. float32 against float64: default fit time and test accuracy."""

import numpy as np

from common import ALPHA
from harness import fmt_times, interleaved, log, quiet_fit, ratio, verdict
from sklinear import SoftmaxClassifier

NUMBER = "4"


def measure(workload):
    """Default fits on the training split in both dtypes, interleaved."""
    Xtr, Xte, ytr, yte = workload.split
    data = {
        "float64": (Xtr, Xte),
        "float32": (Xtr.astype(np.float32), Xte.astype(np.float32)),
    }
    estimators = {k: SoftmaxClassifier(alpha=ALPHA) for k in data}
    log(f"[4] float32 vs float64 x{workload.repeats}")
    times = interleaved(
        {k: (lambda k=k: quiet_fit(estimators[k], data[k][0], ytr)) for k in data},
        workload.repeats,
    )
    accuracy = {k: estimators[k].score(data[k][1], yte) for k in data}
    return {"shape": Xtr.shape, "times": times, "accuracy": accuracy}


def report(data):
    """The section's lines and its summary line."""
    shape, times, accuracy = data["shape"], data["times"], data["accuracy"]
    speedup = ratio(times["float64"], times["float32"])
    diff = 100 * abs(accuracy["float64"] - accuracy["float32"])
    met = speedup >= 1.4 and diff <= 0.3
    summary = [
        (
            "4. float32 vs float64",
            ">= 1.4x faster, accuracy within 0.3 points",
            f"{speedup:.2f}x, {diff:.2f} points",
            met,
        )
    ]
    lines = [
        "## 4. float32 against float64",
        "",
        f"SoftmaxClassifier(alpha=1e-4) default fit on the {shape[0]} x {shape[1]} "
        "training split; accuracy on the 20% test split. Target: float32 at "
        "least 1.4x faster, accuracy within 0.3 points.",
        "",
        "| dtype | fit time | test accuracy |",
        "|---|---|---|",
        f"| float64 | {fmt_times(times['float64'])} | {accuracy['float64']:.4f} |",
        f"| float32 | {fmt_times(times['float32'])} | {accuracy['float32']:.4f} |",
        "",
        f"Speed-up {speedup:.2f}x, accuracy difference {diff:.2f} points: "
        f"{verdict(met)}.",
        "",
    ]
    return lines, summary
