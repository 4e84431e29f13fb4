"""Row 12. Warm-started paths against cold fits (issue 16, target 1).

:func:`sklinear.regularization_path` over 10 alphas from 1e-1 to 1e-5 on
standardised digits, against a cold fit of the same estimator at each alpha,
at the same ``tol``, for softmax + L2, SVM + L2 and softmax + L1 (each
estimator's default optimizer: ``"lbfgs"``, ``"dual_cd"`` and ``"gd"``).
Target: the path in at most 0.4x the cold fits' time, reaching the same
optima (relative 1e-6). Both are fitted at ``tol=1e-6``, so that each is
within 1e-6 of its optimum by its own rule; their largest relative
difference is reported beside.
"""

import warnings

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from harness import fmt_times, interleaved, log, quiet_fit, ratio, verdict
from sklinear import SoftmaxClassifier, SVMClassifier, regularization_path

NUMBER = "12"

#: The issue's grid and tolerance, and its agreement between the optima.
ALPHAS = np.logspace(-1, -5, 10)
TOL = 1e-6
AGREEMENT = 1e-6
#: The estimators, by the row's names.
MODELS = {
    "softmax + L2": SoftmaxClassifier(tol=TOL),
    "SVM + L2": SVMClassifier(tol=TOL, random_state=0),
    "softmax + L1": SoftmaxClassifier(tol=TOL, penalty="l1"),
}


def measure(workload):
    """The path and the cold fits of each model, interleaved."""
    X, y = workload.digits
    out = {"shape": X.shape, "models": {}}
    for name, model in MODELS.items():
        log(f"[12] {name}: path vs cold fits x{workload.repeats}")
        kept = {}

        def path(model=model, kept=kept):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                kept["path"] = regularization_path(X, y, estimator=model, alphas=ALPHAS)

        def cold(model=model, kept=kept):
            fits = [quiet_fit(clone(model).set_params(alpha=a), X, y) for a in ALPHAS]
            kept["cold"] = fits

        times = interleaved({"path": path, "cold": cold}, workload.repeats)
        values = np.asarray(kept["path"].objectives)
        cold_values = np.array([fit.objective_ for fit in kept["cold"]])
        out["models"][name] = {
            "times": times,
            "n_iter": [int(n) for n in kept["path"].n_iter],
            "cold_n_iter": [int(fit.n_iter_) for fit in kept["cold"]],
            "difference": float(np.max(np.abs(values - cold_values) / cold_values)),
        }
    return out


def report(data):
    """The section's lines and its summary lines."""
    n, p = data["shape"]
    lines = [
        "## 12. Warm-started paths against cold fits (issue 16, target 1)",
        "",
        f"Standardised digits ({n} x {p}); alphas = logspace(-1, -5, 10); "
        f"`regularization_path(X, y, estimator=..., alphas=...)` against a cold "
        f"fit of the same estimator at each alpha, both at tol={TOL:g} "
        "(each estimator's default optimizer), timed interleaved. Target: the "
        f"path in at most 0.4x the cold fits' time, reaching the same optima "
        f"(largest relative difference of the objectives at most {AGREEMENT:g}).",
        "",
        "| model | path | cold fits | ratio | iterations: path / cold | "
        "largest relative difference | target |",
        "|---|---|---|---|---|---|---|",
    ]
    summary = []
    for name, d in data["models"].items():
        r = ratio(d["times"]["path"], d["times"]["cold"])
        met = r <= 0.4 and d["difference"] <= AGREEMENT
        lines.append(
            f"| {name} | {fmt_times(d['times']['path'])} | "
            f"{fmt_times(d['times']['cold'])} | {r:.2f}x | "
            f"{sum(d['n_iter'])} / {sum(d['cold_n_iter'])} | "
            f"{d['difference']:.1e} | {verdict(met)} |"
        )
        summary.append(
            (
                f"12. warm path, {name}, digits",
                "<= 0.4x cold fits, optima within 1e-6",
                f"{r:.2f}x, difference {d['difference']:.1e}",
                met,
            )
        )
    lines += ["", "Iterations per alpha, largest alpha first (path / cold):", ""]
    lines += ["| model | " + " | ".join(f"{a:.2g}" for a in ALPHAS) + " |"]
    lines += ["|---|" + "---|" * len(ALPHAS)]
    for name, d in data["models"].items():
        cells = [
            f"{a} / {b}" for a, b in zip(d["n_iter"], d["cold_n_iter"], strict=True)
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines + [""], summary
