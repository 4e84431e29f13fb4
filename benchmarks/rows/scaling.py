"""Row 7. Scaling: default fit time per sample as the number of rows grows."""

from common import ALPHA, SCALING_SIZES, logreg
from harness import fmt_times, interleaved, log, quiet_fit, ratio
from sklinear import SoftmaxClassifier

NUMBER = "7"


def measure(workload):
    """Default fits on the first n rows of the whole synthetic set, per size."""
    X, y = workload.synthetic
    rows = []
    for n in (n for n in SCALING_SIZES if n <= workload.n_large):
        Xn, yn = X[:n], y[:n]
        ours = SoftmaxClassifier(alpha=ALPHA)
        lr = logreg(n, max_iter=1000)
        log(f"[7] n={n} x{workload.repeats}")
        times = interleaved(
            {
                "ours": lambda ours=ours, Xn=Xn, yn=yn: quiet_fit(ours, Xn, yn),
                "lr": lambda lr=lr, Xn=Xn, yn=yn: quiet_fit(lr, Xn, yn),
            },
            workload.repeats,
        )
        rows.append((n, times))
    skipped = [n for n in SCALING_SIZES if n > workload.n_large]
    return {"rows": rows, "skipped": skipped}


def report(data):
    """The section's lines; the row has no target, so no summary line."""
    lines = [
        "## 7. Scaling: fit time per sample",
        "",
        "Default fits (SoftmaxClassifier(alpha=1e-4), tol=1e-4; LogisticRegression "
        "at the same C, its default tol) on the first n rows of the standardised "
        "make_classification data (float64). No target in the issue.",
        "",
        "| n | sklinear, us/sample | LogisticRegression, us/sample | ratio |",
        "|---|---|---|---|",
    ]
    for n, times in data["rows"]:
        lines.append(
            f"| {n} | {fmt_times(times['ours'], 1e6 / n, 'us')} | "
            f"{fmt_times(times['lr'], 1e6 / n, 'us')} | "
            f"{ratio(times['ours'], times['lr']):.2f}x |"
        )
    if data["skipped"]:
        lines += [
            "",
            "Not measured in this mode: n = "
            + ", ".join(str(n) for n in data["skipped"])
            + ".",
        ]
    return lines + [""], []
