"""
==============================
Numerical vs analytic gradient
==============================

The lecture computes the gradient of the loss in two ways. The numerical
gradient perturbs one weight at a time and measures the change of the loss:
simple and approximate, and slow, since it costs two evaluations of the loss
per weight. The analytic gradient comes from calculus: exact and fast, but
easy to get wrong. In practice one uses the analytic gradient and compares it
with the numerical one at a few coordinates, the *gradient check*.

This example runs the gradient check of :mod:`sklinear.gradient_check` on the
softmax objective, first with the correct gradient and then with one that
forgets the regularization term, and plots the relative error of every
coordinate. It then times the numerical gradient against one analytic
gradient as the number of weights grows.
"""

import time
from functools import partial

import matplotlib.pyplot as plt
import numpy as np
from threadpoolctl import threadpool_limits

from sklinear import make_problem
from sklinear.gradient_check import check_gradient, numerical_gradient, relative_error
from sklinear.objective import LinearObjective

rng = np.random.RandomState(0)


def softmax_objective(n_samples, n_features, n_classes, alpha):
    """The softmax objective with an L2 penalty on random data."""
    X = rng.normal(size=(n_samples, n_features))
    y = rng.randint(n_classes, size=n_samples)
    problem = make_problem(X, y, loss="cross_entropy", alpha=alpha, n_classes=n_classes)
    return LinearObjective(problem)


# %%
# The gradient check
# ------------------
# A small problem: 50 samples, 8 features and 4 classes, that is 32 weights
# and 4 intercepts. The check is made at random parameters: at zero weights
# the gradient of the penalty vanishes, and the bug below would go unnoticed.
objective = softmax_objective(n_samples=50, n_features=8, n_classes=4, alpha=0.1)
theta = rng.normal(scale=0.5, size=objective.n_params)
_, gradient = objective.value_and_gradient(theta)

errors = check_gradient(objective.value, theta, gradient, n_checks=10, random_state=0)
print("relative errors, correct gradient:\n", errors)

# %%
# Now a typical bug: the gradient of the data loss alone, without the
# :math:`2 \alpha W` of the penalty :math:`\alpha \sum W^2`.
_, wrong_gradient = objective.data_loss_gradient(theta)
wrong_errors = check_gradient(
    objective.value, theta, wrong_gradient, n_checks=10, random_state=0
)
print("relative errors, gradient without the penalty term:\n", wrong_errors)

# %%
# On a problem this small the numerical gradient of every coordinate is cheap,
# so we can look at all of them. The intercept is not penalized: on its
# coordinates the wrong gradient is right, which is why a check should probe
# more than one or two coordinates. The docstring of
# :func:`~sklinear.gradient_check.check_gradient` calls errors around 1e-7 or
# below (dotted line) right; the largest one of the correct gradient sits on a
# coordinate whose gradient entry is close to zero, where the relative error
# magnifies the rounding of the numerical gradient.
numerical = numerical_gradient(objective.value, theta)
correct_errors = relative_error(gradient, numerical)
worst = np.argmax(correct_errors)
print(
    f"largest error of the correct gradient: {correct_errors[worst]:.1e}, at "
    f"coordinate {worst}, where the gradient is {gradient[worst]:.1e}"
)
fig, ax = plt.subplots(figsize=(7, 4))
coordinates = np.arange(objective.n_params)
ax.semilogy(coordinates, correct_errors, "o", label="correct")
ax.semilogy(
    coordinates,
    relative_error(wrong_gradient, numerical),
    "s",
    markerfacecolor="none",
    label="without the penalty term",
)
ax.axhline(1e-7, color="gray", linestyle=":")
ax.axvspan(objective.problem.n_coef - 0.5, objective.n_params - 0.5, color="0.9")
ax.text(objective.problem.n_coef, 1e-4, "intercept", rotation=90)
ax.set_xlabel("coordinate of the parameter vector")
ax.set_ylabel("relative error to the numerical gradient")
ax.set_title("Gradient check of the softmax objective")
ax.legend(loc="center left")
fig.tight_layout()

# %%
# The cost of the numerical gradient
# ----------------------------------
# Problems with 300 samples, 10 classes and 5 to 200 features, that is 60 to
# 2010 parameters. The numerical gradient evaluates the objective twice per
# parameter; the analytic gradient costs about two matrix products, whatever
# the number of parameters. Each time is the best of three runs at three
# random points (the objective caches the scores of the last point it saw, so
# no two consecutive calls are at the same point). The products are small, so
# BLAS runs on one thread, as sklinear's estimators do for problems of this
# size (``threadpoolctl`` is installed with scikit-learn).


def best_time(function, points):
    """Shortest time of ``function`` over ``points``, and its last result."""
    best = np.inf
    for point in points:
        start = time.perf_counter()
        result = function(point)
        best = min(best, time.perf_counter() - start)
    return best, result


n_params, numerical_times, analytic_times, value_times = [], [], [], []
with threadpool_limits(limits=1, user_api="blas"):
    for n_features in [5, 10, 20, 50, 100, 200]:
        objective = softmax_objective(300, n_features, n_classes=10, alpha=1e-3)
        points = rng.normal(scale=0.1, size=(3, objective.n_params))
        analytic_time, (_, gradient) = best_time(objective.value_and_gradient, points)
        numerical_time, numerical = best_time(
            partial(numerical_gradient, objective.value), points
        )
        value_time, _ = best_time(objective.value, points)
        # The relative error of the whole vector: a few entries near zero
        # would make the entrywise one large for no fault of the gradient.
        error = np.linalg.norm(gradient - numerical) / np.linalg.norm(gradient)
        n_params.append(objective.n_params)
        analytic_times.append(analytic_time)
        value_times.append(value_time)
        numerical_times.append(numerical_time)
        print(
            f"{objective.n_params:5d} parameters: analytic {1e3 * analytic_time:.3f}"
            f" ms, numerical {1e3 * numerical_time:7.1f} ms"
            f" ({numerical_time / analytic_time:5.0f} times slower), "
            f"relative difference {error:.1e}"
        )

# %%
# The numerical gradient takes as long as two evaluations of the objective per
# parameter (dashed line): on log-log axes, a line of slope one, bending up a
# little where one evaluation starts to cost more too. The analytic gradient's
# time barely moves over this range, where fixed overheads dominate the
# arithmetic.
n_params = np.array(n_params)
fig, ax = plt.subplots(figsize=(6, 4))
ax.loglog(n_params, numerical_times, "o-", label="numerical gradient")
ax.loglog(
    n_params,
    2 * n_params * np.array(value_times),
    "k--",
    label="2 x parameters x one evaluation",
)
ax.loglog(n_params, analytic_times, "s-", label="analytic gradient")
ax.set_xlabel("number of parameters")
ax.set_ylabel("time of one gradient (s)")
ax.set_title("Two objective evaluations per parameter")
ax.legend()
fig.tight_layout()
plt.show()
