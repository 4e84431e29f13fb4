r"""The exact finish of the dual solver: the optimum of a guessed active set.

Coordinate descent identifies which dual variables of an SVM sit at a bound
long before it has converged in their values: on standardised digits the
variables strictly inside their box are the same at a relative gap of 1e-2
as at 1e-8, give or take a handful. Once that set :math:`F` is known, the
optimum solves a linear system, and this module solves it.

In the scaled form of :mod:`._dual_cd` (weights
:math:`W = \sum_i x_i \eta_i^\top`), write :math:`a_{ij} = x_i \otimes
(e_{y_i} - e_j)`, so that :math:`W = \sum_{ij} \beta_{ij} a_{ij}` and the
dual's gradient is :math:`g_{ij} = \Delta - a_{ij} \cdot W - (e_{y_i} -
e_j) \cdot b`: the margin violation :math:`s_j - s_{y_i} + \Delta` of the
scores :math:`s = W^\top x_i + b`. At the optimum, every variable of
:math:`F` satisfies its optimality condition with equality:

.. math::

    g_{ij} = \frac{\beta_{ij}}{2 C_i}\,[\text{squared hinge}]
    + \xi_i\,[\text{Crammer-Singer, sample } i \text{ at its bound}],

the variables at a bound keep their value (:math:`C_i` or 0), the
intercept's constraint holds, :math:`\sum_{ij} \beta_{ij} (e_{y_i} - e_j) =
0`, and for Crammer-Singer each sample at its bound keeps
:math:`\sum_j \beta_{ij} = C_i`, with :math:`\xi_i` its slack. That is the
symmetric system

.. math::

    \begin{pmatrix} G + D & B & S \\ B^\top & 0 & 0 \\ S^\top & 0 & 0
    \end{pmatrix}
    \begin{pmatrix} \beta_F \\ b \\ \xi \end{pmatrix} =
    \begin{pmatrix} \Delta - A_F W_U \\ -z_U \\ C_S \end{pmatrix},

with :math:`G = A_F A_F^\top` (entries :math:`(x_i \cdot x_{i'})\,
(e_{y_i} - e_j) \cdot (e_{y_{i'}} - e_{j'})`), :math:`B` the rows
:math:`e_{y_i} - e_j`, :math:`W_U` and :math:`z_U` the weights and the
constraint's residual of the variables held at a bound, and one more row
that fixes the mean of :math:`b` (the scores are invariant to a common
shift). Its size is :math:`|F|` plus the classes, a few hundred on digits
whatever the number of samples.

Nothing here is trusted: the solution is clipped into the dual's box and
its duality gap certified like any iterate's. A wrong guess of :math:`F`
only costs the solve.
"""

import warnings

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from ._dual_cd_fast import weights_of
from ._duals import _eta, _total

__all__ = ["active_set_solution"]

#: A variable within this fraction of its bound counts as at the bound.
AT_BOUND = 1e-12


def active_set_solution(problem, rows, beta, upper, b, max_size):
    r"""The dual variables and intercept that solve the optimality conditions
    of the active set of ``beta`` exactly.

    Parameters
    ----------
    problem : Problem
        An SVM loss with the ``"l2"`` penalty.
    rows : tuple
        The rows of ``problem.X`` as the kernels take them.
    beta : ndarray of shape (n_samples, n_classes)
        The dual variables (zero on each sample's label) whose active set is
        taken.
    upper : ndarray of shape (n_samples,)
        The bounds :math:`C_i`.
    b : ndarray of shape (n_classes,)
        The current intercept: the solution keeps its mean.
    max_size : int
        The largest system to solve; larger active sets are left alone.

    Returns
    -------
    beta, b : ndarray or None
        The solution, ``beta`` clipped into the dual's box; None when the
        set is too large or the system has no finite solution.
    """
    name, margin = problem.loss.name, problem.loss.margin
    y = np.asarray(problem.y, dtype=np.intp)
    n, k = beta.shape
    bound = upper[:, None]
    positive = beta > AT_BOUND * bound
    if name == "hinge":
        held = beta >= (1 - AT_BOUND) * bound
        free = positive & ~held
        saturated = np.zeros(n, dtype=bool)
    elif name == "squared_hinge":
        held = np.zeros_like(positive)
        free = positive
        saturated = np.zeros(n, dtype=bool)
    else:  # Crammer-Singer: the bound is on each sample's total
        saturated = beta.sum(axis=1) >= (1 - AT_BOUND) * upper
        alone = saturated & (positive.sum(axis=1) == 1)
        held = positive & alone[:, None]
        free = positive & ~held
        saturated &= ~alone
    free_rows, cols = np.nonzero(free)
    tied = np.flatnonzero(saturated)
    intercept = problem.fit_intercept
    size = len(free_rows) + len(tied) + (k + 1 if intercept else 0)
    if not len(free_rows) or size > max_size:
        return None, None

    # Only the samples the free variables belong to enter the Gram matrix,
    # in float64. Sparse rows are made dense while they take no more memory
    # than the system: every layout then makes the same BLAS product, to the
    # same bits (and a sparse product of dense rows is far slower).
    samples, position = np.unique(free_rows, return_inverse=True)
    X_s = problem.X[samples]
    if sp.issparse(X_s):
        X_s = sp.csr_matrix(X_s, dtype=np.float64)
        if X_s.shape[0] * X_s.shape[1] <= max_size**2:
            X_s = X_s.toarray()  # these rows only, within the budget
    X_s = X_s.astype(np.float64)
    gram = X_s @ X_s.T
    gram = gram.toarray() if sp.issparse(gram) else gram
    labels = y[free_rows]
    # (e_{y_i} - e_j) . (e_{y_i'} - e_j') for every pair of free variables:
    # small integers, exact in floating point.
    directions = np.eye(k)[labels] - np.eye(k)[cols]
    classes = directions @ directions.T
    matrix = np.zeros((size, size))
    m = len(free_rows)
    matrix[:m, :m] = gram[np.ix_(position, position)] * classes
    if name == "squared_hinge":
        matrix[np.arange(m), np.arange(m)] += 0.5 / upper[free_rows]
    rhs = np.zeros(size)

    # The variables held at their bound: their weights and residual.
    fixed = np.where(held, beta, 0.0)
    held_weights = np.zeros((problem.n_features, k))
    weights_of(*rows, _eta(fixed, y), held_weights)
    scores = X_s @ held_weights
    rhs[:m] = margin - (scores[position, labels] - scores[position, cols])
    if len(tied):
        # Columns of the slacks: the free variables of each tied sample.
        where = np.searchsorted(tied, free_rows)
        last = np.minimum(where, len(tied) - 1)
        mine = (where < len(tied)) & (tied[last] == free_rows)
        columns = m + where[mine]
        matrix[np.flatnonzero(mine), columns] = 1.0
        matrix[columns, np.flatnonzero(mine)] = 1.0
        rhs[m : m + len(tied)] = upper[tied] - fixed[tied].sum(axis=1)
    if intercept:
        first = m + len(tied)
        matrix[:m, first : first + k] = directions
        matrix[first : first + k, :m] = directions.T
        rhs[first : first + k] = -_total(fixed, y)
        # The scores are invariant to a common shift of b: fix its mean.
        matrix[first : first + k, -1] = matrix[-1, first : first + k] = 1.0
        rhs[-1] = np.sum(b)

    solution = _solve(matrix, rhs)
    if solution is None:
        return None, None
    polished = fixed.copy()
    values = solution[:m]
    if name == "hinge":
        values = np.clip(values, 0.0, upper[free_rows])
    else:
        values = np.maximum(values, 0.0)
    polished[free_rows, cols] = values
    if name == "crammer_singer":
        # A total above its bound (by rounding, or a wrong guess) is scaled
        # back: the point must be feasible for the certificate.
        totals = polished.sum(axis=1)
        over = totals > upper
        polished[over] *= (upper[over] / totals[over])[:, None]
    new_b = solution[m + len(tied) : m + len(tied) + k] if intercept else b.copy()
    return polished, np.array(new_b, dtype=np.float64)


def _solve(matrix, rhs):
    """The solution of the symmetric system, or its least-squares solution
    when it is singular (repeated rows make it so); None if not finite."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", scipy.linalg.LinAlgWarning)
        try:
            solution = scipy.linalg.solve(matrix, rhs, assume_a="sym")
        except (np.linalg.LinAlgError, scipy.linalg.LinAlgWarning, ValueError):
            solution = scipy.linalg.lstsq(matrix, rhs)[0]
    return solution if np.all(np.isfinite(solution)) else None
