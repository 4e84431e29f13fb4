"""Row 3. One loss + gradient evaluation against the two bare products.

``LinearObjective.value_and_gradient`` for every loss, in float64 and float32,
against ``X @ W`` plus ``X.T @ D`` on the same arrays.
"""

import numpy as np

from common import problem_for
from harness import fmt_times, interleaved, log, ratio, verdict
from sklinear.losses import LOSSES
from sklinear.objective import LinearObjective

NUMBER = "3"


def measure(workload, inner=5):
    """One value_and_gradient per loss against the bare X @ W and X.T @ D.

    Each sample is the mean of ``inner`` calls.
    """
    X, y = workload.train
    results = []
    rng = np.random.default_rng(0)
    n_classes = int(y.max()) + 1
    for dtype in (np.float64, np.float32):
        Xd = np.ascontiguousarray(X, dtype=dtype)
        W = rng.standard_normal((Xd.shape[1], n_classes)).astype(dtype)
        D = rng.standard_normal((Xd.shape[0], n_classes)).astype(dtype)

        def bare(Xd=Xd, W=W, D=D):
            for _ in range(inner):
                Xd @ W
                Xd.T @ D

        for loss in LOSSES:
            objective = LinearObjective(problem_for(Xd, y, loss=loss))
            # Two points, alternated, as when the evaluator cached the scores of
            # its last point: the measurement stays the one earlier reports made.
            thetas = [
                (0.01 * rng.standard_normal(objective.n_params)).astype(dtype)
                for _ in range(2)
            ]

            def evaluate(objective=objective, thetas=thetas):
                for k in range(inner):
                    objective.value_and_gradient(thetas[k % 2])

            log(f"[3] {np.dtype(dtype).name} {loss}")
            times = interleaved(
                {"ours": evaluate, "bare": bare}, repeats=workload.repeats
            )
            times = {k: [t / inner for t in v] for k, v in times.items()}
            results.append((np.dtype(dtype).name, loss, times))
    return {"shape": X.shape, "results": results}


def report(data):
    """The section's lines and its summary lines (one per dtype and loss)."""
    shape = data["shape"]
    summary = []
    lines = [
        "## 3. One loss + gradient evaluation against the two bare products",
        "",
        f"`LinearObjective.value_and_gradient` on X of {shape[0]} x {shape[1]}, 10 "
        "classes, L2 penalty, against `X @ W` plus `X.T @ D` on the same arrays "
        "(alternating two points, as the evaluator computes the scores on every "
        "call; hinge losses "
        "unsmoothed; each sample is the mean of 5 calls; default BLAS threads, as "
        "fit uses at this size). Target: at most 1.0x "
        "in float64, 1.2x in float32.",
        "",
        "| dtype | loss | value_and_gradient | two bare products | ratio | target |",
        "|---|---|---|---|---|---|",
    ]
    for dtype, loss, times in data["results"]:
        r = ratio(times["ours"], times["bare"])
        limit = 1.0 if dtype == "float64" else 1.2
        summary.append(
            (
                f"3. loss+gradient, {dtype} {loss}",
                f"<= {limit}x",
                f"{r:.2f}x",
                r <= limit,
            )
        )
        lines.append(
            f"| {dtype} | {loss} | {fmt_times(times['ours'], 1e3, 'ms')} | "
            f"{fmt_times(times['bare'], 1e3, 'ms')} | {r:.2f}x | "
            f"<= {limit}x: {verdict(r <= limit)} |"
        )
    return lines + [""], summary
