"""
================================================
The duality gap: an SVM fit that knows its error
================================================

:class:`~sklinear.SVMClassifier` minimizes its objective :math:`L(W, b)` by
coordinate ascent on the dual problem (``optimizer="dual_cd"``, the default
for ``penalty="l2"``). Every dual point gives a value :math:`D \\le L^\\star`
and every primal point a value :math:`L \\ge L^\\star`, so the two bracket the
unknown optimum: when the relative gap :math:`(L - D) / L` falls below
``tol``, the fit is certified to be within ``tol`` of the optimum, on any
data and at any scale.

This example follows one fit on standardized digits epoch by epoch, through
the solver's callback, and plots the primal and dual values closing in on
each other. The right panel compares the certified gap with the true
suboptimality, measured against a fit solved to a gap of 1e-10: the
certificate is an upper bound, and a tight one. The dual value converges
faster than the primal one: nearly all of the gap is the primal's.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler

from sklinear import SVMClassifier, make_problem
from sklinear.objective import LinearObjective
from sklinear.optimizers import dual_cd

X, y = load_digits(return_X_y=True)
X = StandardScaler().fit_transform(X)
alpha = 1e-3
problem = make_problem(X, y, loss="hinge", alpha=alpha)

# %%
# One fit to a gap of 1e-6, recording every full epoch's certified gap. The
# primal iterates of a dual method need not descend, so the gap is that of
# the best primal value so far.
epochs, primal, dual = [], [], []
best = np.inf


def record(result):
    global best
    best = min(best, result.fun)
    if result.dual_gap is not None:
        epochs.append(result.nit)
        primal.append(best)
        dual.append(best * (1 - result.dual_gap))


start = np.zeros(problem.n_params)
result = dual_cd(
    LinearObjective(problem),
    start,
    tol=1e-6,
    max_iter=20_000,
    random_state=0,
    callback=record,
)
tight = dual_cd(
    LinearObjective(problem), start, tol=1e-10, max_iter=50_000, random_state=0
)
print(f"tol=1e-6: {result.nit} epochs, gap {result.dual_gap:.2e}")
print(f"reference: {tight.nit} epochs, gap {tight.dual_gap:.2e}, L* ~ {tight.fun:.8f}")

# %%
# The estimator reports the same certificate as ``dual_gap_``.
clf = SVMClassifier(alpha=alpha, random_state=0).fit(X, y)
print(f"SVMClassifier(): {clf.n_iter_} epochs, dual_gap_ = {clf.dual_gap_:.2e}")

# %%
epochs, primal, dual = map(np.asarray, (epochs, primal, dual))
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
left.plot(epochs, primal, label="primal L (best so far)")
left.plot(epochs, dual, label="dual D")
left.axhline(tight.fun, color="gray", linestyle=":", label="optimum")
left.set(xlabel="epoch", ylabel="objective", title="L and D meet")
left.set_ylim(0, 4 * tight.fun)
left.legend()

right.semilogy(epochs, (primal - dual) / primal, label="certified gap (L - D) / L")
right.semilogy(epochs, (primal - tight.fun) / primal, label="true gap (L - L*) / L")
right.axhline(1e-4, color="gray", linestyle=":", label="default tol")
right.set(xlabel="epoch", title="the certificate bounds the true gap")
right.legend()
fig.tight_layout()
plt.show()
