"""
==============
Optimizer race
==============

The lecture tries three ways to minimize the training objective: random
search, random local search and following the slope. This example races them,
together with the faster ways of following the slope that sklinear offers, on
one problem: the softmax classifier on the standardized digits with
``alpha=1e-3``. The problem is described once with
:func:`~sklinear.make_problem`, and every optimizer minimizes it through the
same evaluator, :class:`~sklinear.objective.LinearObjective`, with a callback
that records the objective and the clock after each iteration.

The figure shows the gap ``L - L*`` to the optimum on a log scale, ``L*``
computed beforehand by a tight L-BFGS run. The left panel counts each
optimizer's own iterations, which cost very different amounts; the right
panel counts seconds, the fair comparison.
"""

import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from sklinear import make_problem
from sklinear.objective import LinearObjective
from sklinear.optimizers import (
    gradient_descent,
    lbfgs,
    random_local_search,
    random_search,
    sgd,
)

X, y = load_digits(return_X_y=True)
X = StandardScaler().fit_transform(X)
objective = LinearObjective(make_problem(X, y, loss="cross_entropy", alpha=1e-3))
x0 = np.zeros(objective.n_params)
print(
    f"{objective.n_samples} samples, {objective.n_params} parameters, "
    f"L at zero weights = {objective.value(x0):.4f}"
)

# %%
# Timing a run
# ------------
# The callback receives an ``OptimizeResult`` after every iteration; it keeps
# the clock and the objective. The matrix products of this problem are small,
# and a multi-threaded BLAS spends longer waking its threads than computing
# them (or stalls outright when another process holds a core), so each run is
# limited to one BLAS thread, as sklinear's estimators do for problems of this
# size (``threadpoolctl`` is installed with scikit-learn).


def run(optimizer, **settings):
    """Minimize from zero; return the result, elapsed seconds and objective."""
    trace = []

    def record(intermediate_result):
        trace.append((time.perf_counter(), intermediate_result.fun))

    with threadpool_limits(limits=1, user_api="blas"):
        start = time.perf_counter()
        result = optimizer(objective, x0, callback=record, **settings)
    seconds, values = np.array(trace).T
    return result, seconds - start, values


# A tight tolerance makes L-BFGS run until the gradient is at rounding level.
reference = run(lbfgs, tol=1e-12)[0]
print(f"reference L* = {reference.fun:.12f} ({reference.nit} L-BFGS iterations)")

# %%
# The race
# --------
# Each optimizer gets a budget of at most about a second. One iteration is a
# batch of 64 random candidates for random search, a batch of 16 random steps
# for random local search, an epoch (a pass over the data in mini-batches of
# 32 rows) for SGD, and one step for the others. Plain gradient descent needs
# its step size chosen by hand; 8.0, found by trial, converges on this problem.
racers = {
    "random search": (random_search, dict(n_candidates=2000, random_state=0)),
    "random local search": (
        random_local_search,
        dict(n_candidates=4000, step_size=1e-2, random_state=0),
    ),
    "GD, fixed step": (
        gradient_descent,
        dict(learning_rate=8.0, max_iter=1000, tol=0.0),
    ),
    "GD, accelerated": (gradient_descent, dict(tol=1e-10)),
    "SGD": (sgd, dict(batch_size=32, max_iter=100, random_state=0)),
    "L-BFGS": (lbfgs, dict(tol=1e-10)),
}
traces = {}
for name, (optimizer, settings) in racers.items():
    result, seconds, values = run(optimizer, **settings)
    traces[name] = seconds, values
    print(
        f"{name:20s} {result.nit:5d} iterations in {seconds[-1]:.3f} s "
        f"({1e3 * seconds[-1] / result.nit:.2f} ms each), "
        f"gap {result.fun - reference.fun:.1e}"
    )

# %%
# The gap to the optimum
# ----------------------
# ``L*`` is the lowest value reached by any run, so that no gap is negative; a
# curve that reaches rounding level (the gap is then 0) leaves the plot.
best = min(reference.fun, *(values.min() for _, values in traces.values()))
fig, (ax_iter, ax_time) = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
for name, (seconds, values) in traces.items():
    iterations = np.arange(1, len(values) + 1)
    ax_iter.plot(iterations, values - best, label=name)
    ax_time.plot(seconds, values - best, label=name)
ax_iter.set(yscale="log", ylim=(1e-14, 10), xlabel="iteration", ylabel="gap  L - L*")
ax_iter.set_title("Per iteration")
ax_time.set(xscale="log", xlabel="wall time (s)")
ax_time.set_title("Per second")
ax_time.legend(loc="lower left")
fig.tight_layout()

# %%
# Random search stays flat: each candidate ignores what the previous ones
# found, and small random weights (the lecture's scale, ``init_scale=1e-4``)
# all score about as badly as zero weights. Random local search builds on the
# last step it accepted and creeps down, a batch of objective evaluations per
# step. Gradient descent with a fixed step converges linearly: the gap shrinks
# by a constant factor per iteration, a straight line on the left. The
# accelerated method (FISTA, with a line search and restarts) takes far fewer
# iterations for the same gap. SGD makes most of its progress in the first
# epochs, each of which takes many steps; then its noisy mini-batch gradients
# make the curve jump, and progress slows down. Per second it loses here: its
# curve starts late, since it first tries a few step sizes
# (``learning_rate="auto"``), and on so few rows an epoch of small steps costs
# more than one full gradient (its advantage is for data far larger than
# this). L-BFGS, which also uses the curvature, is the fastest to every small
# gap, both per iteration and per second.
plt.show()
