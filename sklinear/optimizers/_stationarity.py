r"""The gradient stopping rule of ``"lbfgs"`` and ``"gd"``, in units of the scores.

The objective is :math:`F(W, b) = f(S) + \alpha R(W)` with scores
:math:`S = XW + \mathbf{1} b^\top` and :math:`f` the weighted mean loss,
:math:`f(S) = \sum_i w_i \ell_i(s_i) / \sum_i w_i`. Its gradient is

.. math::

    \nabla_{W_{jk}} F = \frac{\sum_i w_i X_{ij}\, \partial_k \ell_i}{\sum_i w_i}
    + \alpha\, \partial_{W_{jk}} R,
    \qquad
    \nabla_{b_k} F = \frac{\sum_i w_i\, \partial_k \ell_i}{\sum_i w_i} .

A rule :math:`\max |\nabla F| \le \texttt{tol} \cdot |F|` compares a
quantity in units of :math:`F / W` with one in units of :math:`F`: it is not
scale-free. Multiply :math:`X` by :math:`c` (and :math:`\alpha` by
:math:`c^2`, so that :math:`W/c` gives the same scores, objective and
model): :math:`F` is unchanged but :math:`\nabla_W F` is multiplied by
:math:`c`. For :math:`c = 0.03` the gradient at :math:`W = 0` already falls
below the threshold and the fit "converges" before it starts; for a large
:math:`c` the rule asks for more than the rounding of the gradient allows.

Each parameter is therefore measured in units of the scores it moves. Let

.. math::

    \sigma_j = \Bigl(\frac{\sum_i w_i X_{ij}^2}{\sum_i w_i}\Bigr)^{1/2}

be the weighted root mean square of feature :math:`j`, and :math:`\sigma = 1`
for an intercept (its column is :math:`\mathbf{1}`). Changing :math:`W_{jk}`
by :math:`t / \sigma_j` changes column :math:`k` of the scores by
:math:`t X_{:j} / \sigma_j`, a change of root mean square :math:`t`, so

.. math::

    \hat g_p = \frac{\nabla_p F}{\sigma_p}

is the rate at which :math:`F` changes per unit (root mean square) change of
the scores that parameter :math:`p` can make. The rule is

.. math::

    \max_p |\hat g_p| \le \texttt{tol} \cdot |F^\star| ,

with :math:`F^\star` the best objective so far, floored at the machine
epsilon so that an objective of exactly 0 can stop
(:func:`~sklinear.optimizers._continuation.relative_threshold`).

**It is scale-free.** Scaling feature :math:`j` by :math:`c_j > 0` scales
:math:`\sigma_j` and the data part of :math:`\nabla_{W_{jk}} F` by
:math:`c_j`, so the data part of :math:`\hat g` is unchanged, for any
positive :math:`c_j`: a global factor, a per-feature one, or none. For a
global :math:`c` with :math:`\alpha c^2` in place of :math:`\alpha` the L2
penalty part, :math:`2 \alpha c^2 W_{jk} / c` at :math:`W / c`, divided by
:math:`c \sigma_j`, is unchanged too: equivalent problems stop at
equivalent points. On standardized data (every column of mean 0 and
variance 1, so :math:`\sigma_j = 1`) the rule is the plain
:math:`\max |\nabla F| \le \texttt{tol} \cdot |F^\star|`.

**It is in the units of the loss.** By the Cauchy-Schwarz inequality, for
the data part,

.. math::

    \Bigl|\frac{\sum_i w_i X_{ij}\, \partial_k \ell_i}{\sigma_j \sum_i w_i}\Bigr|
    \le \Bigl(\frac{\sum_i w_i (\partial_k \ell_i)^2}{\sum_i w_i}\Bigr)^{1/2},

the root mean square of :math:`\partial L / \partial S` in column
:math:`k`, the same bound as the intercept's gradient: every
:math:`\hat g_p` is a mean derivative of the loss with respect to the
scores (correlated with feature :math:`j`), a quantity set by the loss and
the labels, not by :math:`X`. Comparing it to ``tol * |F|`` compares like
with like, whatever the scale of the data.

A column of zeros has :math:`\sigma_j = 0` and no data part; its entries
keep :math:`\sigma_j = 1`, so that only their penalty gradient counts.
"""

import numpy as np
import scipy.sparse as sp

from ._continuation import relative_threshold

__all__ = ["ScoreUnits", "feature_scales"]

#: The data are read this many entries at a time to compute the scales, so
#: that the work arrays stay small beside ``X`` (which is never copied).
_CHUNK = 2**16


def feature_scales(problem):
    r""":math:`\sigma_j`, the weighted root mean square of each column of ``X``.

    Each column is divided by its largest magnitude before it is squared, as
    BLAS's ``nrm2`` does, so that entries of 1e-200 or 1e200 neither underflow
    nor overflow. Two passes over ``X``, a chunk at a time.

    Parameters
    ----------
    problem : LinearProblem
        Its data and sample weights.

    Returns
    -------
    scales : ndarray of shape (n_features,), float64
        Zero for a column of zeros (or one whose rows all have weight zero).
    """
    X = problem.X
    n_samples, n_features = X.shape
    weights = problem.sample_weight
    if weights is None:
        weights = np.full(n_samples, 1.0 / max(n_samples, 1))
    else:
        weights = np.asarray(weights, dtype=np.float64)
        total = weights.sum()
        if not total > 0:
            return np.zeros(n_features)
        weights = weights / total
    peak, sums = np.zeros(n_features), np.zeros(n_features)
    if sp.issparse(X):
        if X.format not in ("csr", "csc") or not X.has_canonical_format:
            X = sp.csr_matrix(X, copy=True)  # summed duplicates, as X @ W sums them
            X.sum_duplicates()
        for values, _, columns in _entries(X):
            np.maximum.at(peak, columns, np.abs(values))
        divisor = np.where(peak > 0, peak, 1.0)
        for values, rows, columns in _entries(X):
            ratios = np.abs(values) / divisor[columns]
            ratios *= ratios
            ratios *= weights[rows]
            sums += np.bincount(columns, weights=ratios, minlength=n_features)
    else:
        rows = max(1, _CHUNK // max(n_features, 1))
        blocks = [slice(start, start + rows) for start in range(0, n_samples, rows)]
        for block in blocks:
            np.maximum(peak, np.max(np.abs(X[block]), axis=0, initial=0.0), out=peak)
        divisor = np.where(peak > 0, peak, 1.0)
        for block in blocks:
            ratios = np.divide(X[block], divisor, dtype=np.float64)
            ratios *= ratios
            sums += weights[block] @ ratios
    return peak * np.sqrt(sums)


def _entries(X):
    """``(values, rows, columns)`` of the stored entries of a CSR or CSC matrix,
    ``_CHUNK`` entries at a time: views of ``X.data`` and small index arrays."""
    for start in range(0, X.nnz, _CHUNK):
        stop = min(start + _CHUNK, X.nnz)
        # The rows (CSR) or columns (CSC) that own entries start..stop-1.
        first, last = np.searchsorted(X.indptr, [start, stop - 1], side="right") - 1
        bounds = np.clip(X.indptr[first : last + 2], start, stop)
        outer = np.repeat(np.arange(first, last + 1), np.diff(bounds))
        inner = X.indices[start:stop]
        rows, columns = (outer, inner) if X.format == "csr" else (inner, outer)
        yield X.data[start:stop], rows, columns


class ScoreUnits:
    r"""The stopping rule: the gradient in units of the scores it moves.

    See the module: :math:`\max_p |\nabla_p F| / \sigma_p \le
    \texttt{tol} \cdot |F^\star|`, with :math:`\sigma_p` the root mean
    square of the feature of parameter :math:`p` (1 for an intercept).

    Parameters
    ----------
    objective : LinearObjective
        The objective whose gradients will be measured; its data are read
        once, here.
    """

    def __init__(self, objective):
        problem = objective.problem
        scales = feature_scales(problem)
        inverse = np.divide(1.0, scales, out=np.ones_like(scales), where=scales > 0)
        parts = [np.repeat(inverse, problem.n_classes)]
        if problem.fit_intercept:
            parts.append(np.ones(problem.n_classes))
        #: ``1 / sigma_p`` of each entry of theta (W row-major, then b).
        self.inverse_scales = np.concatenate(parts)
        self.dtype = objective.dtype

    def measure(self, gradient, factor=1.0):
        r""":math:`\max_p |\texttt{factor} \cdot \texttt{gradient}_p| / \sigma_p`."""
        scaled = np.abs(gradient) * self.inverse_scales
        return abs(factor) * float(np.max(scaled, initial=0.0))

    def reached(self, gradient, tol, best_fun, factor=1.0):
        """Whether ``factor * gradient`` meets the rule at ``tol`` and ``best_fun``.

        ``factor`` lets a caller pass a gradient mapping ``L * d`` as ``d``
        and ``L`` without forming it.
        """
        threshold = relative_threshold(tol, best_fun, self.dtype)
        return self.measure(gradient, factor) <= threshold
