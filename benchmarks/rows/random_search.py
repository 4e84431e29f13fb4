"""Row 6. Random search: batched candidates against a loop of evaluations.

``LinearObjective.batch_values`` (as ``sklinear.optimizers.random_search``
scores its candidates) against ``LinearObjective.value`` in a loop, on the
same candidates; the winners are compared.
"""

import numpy as np

from common import problem_for
from harness import fmt_times, interleaved, log, ratio, verdict
from sklinear.objective import LinearObjective

NUMBER = "6"


def measure(workload):
    """1000 candidates on digits (more repeats), 128 on the training split."""
    return [
        measure_one("digits", *workload.digits, 1000, workload.small_repeats),
        measure_one(workload.large_name, *workload.train, 128, workload.repeats),
    ]


def measure_one(name, X, y, n_candidates, repeats):
    """Both sides on the same candidates, interleaved."""
    objective = LinearObjective(problem_for(X, y))
    rng = np.random.default_rng(0)
    thetas = (1e-4 * rng.standard_normal((n_candidates, objective.n_params))).astype(
        X.dtype
    )
    winners = {}

    # Each under the BLAS threading fit() gives its products: one thread below
    # 1e7 multiply-adds, where 64 candidates make a product 64 times wider.
    def batched():
        with objective.blas_threads(64):
            values = objective.batch_values(thetas, batch_size=64)
        winners["batched"] = int(np.argmin(values))

    def loop():
        with objective.blas_threads(1):
            values = [objective.value(theta) for theta in thetas]
        winners["loop"] = int(np.argmin(values))

    log(f"[6] {name}: {n_candidates} candidates x{repeats}")
    times = interleaved({"batched": batched, "loop": loop}, repeats)
    return {"name": name, "n": n_candidates, "times": times, "winners": winners}


def report(results):
    """The section's lines and its summary lines (one per data set)."""
    summary = []
    lines = [
        "## 6. Random search: batched candidates against a loop of evaluations",
        "",
        "`LinearObjective.batch_values(thetas, batch_size=64)` (as `random_search` "
        "does) against `[objective.value(t) for t in thetas]`, candidates "
        "1e-4 * N(0, 1), each under the BLAS threading `fit` gives its "
        "products (one thread below 1e7 multiply-adds per product; a batch "
        "of 64 candidates makes the product 64 times wider, so on digits the "
        "batched products get BLAS's default threads and the loop's one "
        "thread). Target: at least 2x faster, identical winner.",
        "",
        "| data | candidates | batched | loop | speed-up | same winner | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        speedup = ratio(r["times"]["loop"], r["times"]["batched"])
        same = r["winners"]["batched"] == r["winners"]["loop"]
        met = speedup >= 2 and same
        summary.append(
            (
                f"6. random search, {r['name']}",
                ">= 2x, same winner",
                f"{speedup:.2f}x, same winner {same}",
                met,
            )
        )
        lines.append(
            f"| {r['name']} | {r['n']} | {fmt_times(r['times']['batched'])} | "
            f"{fmt_times(r['times']['loop'])} | {speedup:.2f}x | {same} | "
            f"{verdict(met)} |"
        )
    return lines + [""], summary
