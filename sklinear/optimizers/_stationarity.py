r"""The gradient stopping rule of ``"lbfgs"`` and ``"gd"``, free of the scale of X.

The objective is :math:`F(W, b) = f(S) + \alpha R(W)` with scores
:math:`S = XW + \mathbf{1} b^\top` and :math:`f` the weighted mean loss,
:math:`f(S) = \sum_i w_i \ell_i(s_i) / \sum_i w_i`. Its gradient is

.. math::

    \nabla_{W_{jk}} F = \frac{\sum_i w_i X_{ij}\, \partial_k \ell_i}{\sum_i w_i}
    + \alpha\, \partial_{W_{jk}} R,
    \qquad
    \nabla_{b_k} F = \frac{\sum_i w_i\, \partial_k \ell_i}{\sum_i w_i} .

**Why not the plain gradient.** A rule
:math:`\max |\nabla F| \le \texttt{tol} \cdot |F|` compares a quantity in
units of :math:`F / W` with one in units of :math:`F`. Multiply :math:`X`
by :math:`c` and :math:`\alpha` by :math:`c^2`: the weights :math:`W / c`
give the same scores, objective and model, but :math:`\nabla_W F` is
multiplied by :math:`c`. For :math:`c = 0.03`, or rows of unit norm over
many features, the gradient at :math:`W = 0` is already below the threshold
and the fit "converges" before its first step; for a large :math:`c` the
rule asks for more than the rounding of the gradient allows.

**The scale of a weight.** Take the loss at its natural curvature, 1 per
unit of the scores (the softmax loss's Hessian is at most 1/2, the first
stage of a smoothed hinge has curvature 1 over its margin). The curvature of
:math:`F` along :math:`W_{jk}` is then

.. math::

    h_j = \sigma_j^2 + \alpha R'', \qquad
    \sigma_j = \Bigl(\frac{\sum_i w_i X_{ij}^2}{\sum_i w_i}\Bigr)^{1/2},

:math:`\sigma_j` the weighted root mean square of feature :math:`j` and
:math:`R''` the curvature of the penalty's quadratic part (2 for ``"l2"``,
:math:`2(1 - \rho)` for ``"elasticnet"``, 0 for ``"l1"`` and none); along
an intercept it is :math:`h = 1`. The rule measures the gradient in the
coordinates :math:`\sqrt{h_p}\, \theta_p` in which these curvatures are 1
(a Jacobi scaling):

.. math::

    \hat g_p = \frac{\nabla_p F}{\sqrt{h_p}}, \qquad
    \max_p |\hat g_p| \le \texttt{tol} \cdot |F^\star| ,

with :math:`F^\star` the best objective so far, floored at the machine
epsilon so that an objective of exactly 0 can stop
(:func:`~sklinear.optimizers._continuation.relative_threshold`). Read two
ways: :math:`\hat g_p` is the slope of :math:`F` per unit change of the
scores that weight :math:`p` makes (moving :math:`W_{jk}` by
:math:`t / \sigma_j` moves the scores by :math:`t` in root mean square),
once the penalty's own curvature is counted as scores; and a Newton step on
coordinate :math:`p` of the quadratic model would lower :math:`F` by
:math:`\hat g_p^2 / 2`, what is left to gain there.

**It is scale-free.** With :math:`cX`, :math:`c^2 \alpha` and
:math:`W / c`, :math:`\sqrt{h_j}` and :math:`\nabla_{W_{jk}} F` are both
multiplied by :math:`c`: :math:`\hat g` is unchanged, and the same problem
stops at the same points whatever the scale of its data. Without a penalty
this holds for any positive factor per feature too. On standardized data
(:math:`\sigma_j = 1`) it is the plain gradient over
:math:`\sqrt{1 + \alpha R''}`, within a relative :math:`\alpha` of the plain
rule (1e-4 at the default).

**It is in the units of the loss.** By the Cauchy-Schwarz inequality the
data part is bounded as the intercept's gradient is,

.. math::

    \Bigl|\frac{\sum_i w_i X_{ij}\, \partial_k \ell_i}{\sqrt{h_j} \sum_i w_i}\Bigr|
    \le \frac{\sigma_j}{\sqrt{h_j}}
    \Bigl(\frac{\sum_i w_i (\partial_k \ell_i)^2}{\sum_i w_i}\Bigr)^{1/2}
    \le \operatorname{rms}_i\, \partial_k \ell_i ,

by the root mean square of :math:`\partial L / \partial S` in column
:math:`k`, set by the loss and the labels, not by :math:`X`: comparing it
to ``tol * |F|`` compares like with like. And a feature of tiny
:math:`\sigma_j` does not blow it up: its weight is held by the penalty,
:math:`h_j \ge \alpha R''`, and judged by what moving it could gain.

A column of zeros without an L2 part has :math:`h = 0`; its weights get
:math:`h = 1`, so that whatever gradient they have counts as it is.

**Its floor: the rounding of the scores.** The scores are computed in the
data's dtype, each to within about :math:`\epsilon |s_{ik}|`,
:math:`\epsilon` the dtype's machine epsilon, and the loss's derivative
:math:`D = \partial \ell / \partial S` moves with them by up to its
curvature times that: :math:`1 / \mu` in the band of a hinge smoothed by
:math:`\mu`. Through the gradient, sample :math:`i` moves :math:`\hat g_p`
by :math:`\hat w_i X_{ij}\, \Delta D_{ik} / \sqrt{h_j}`, with
:math:`\hat w_i = w_i / \sum_l w_l`; these moves have unrelated signs and
add up as a root sum of squares, which for samples of typical features
(:math:`X_{ij}^2 \approx \sigma_j^2 \le h_j`) is

.. math::

    \rho = \max_k \Bigl(\sum_i \hat w_i^2\, \Delta D_{ik}^2\Bigr)^{1/2},

:math:`\Delta D` the change of the derivative when every score moves by
:math:`\epsilon |s_{ik}|`, up in the classes of even index and down in the
others, so that the margins between classes move too. A gradient below
:math:`\rho` cannot be told from zero in the dtype, and a fit that asks for
one runs on rounding until ``max_iter``: the rule is met at
:math:`\max(\texttt{tol} \cdot |F^\star|, \rho)`, and a stop that needed
:math:`\rho` is at the resolution of the dtype, not at ``tol``, which the
optimizers say in their message. Like :math:`\hat g`, :math:`\rho` is in
units of the scores and does not depend on the scale of :math:`X`.

:math:`\rho` is measured (two evaluations of the loss) rather than bounded,
because only the samples in the band of the smoothing move :math:`D`: the
Weston-Watkins hinge holds its support vectors there, Crammer-Singer's
log-sum-exp only its near ties, and a bound that counts every sample as in
the band would end the last stages far from their optima. It is measured
only when the gradient is below that bound,

.. math::

    \rho \le \frac{2 (K - 1)\, c\, \epsilon \max |S|}{\sqrt{n_{\mathrm{eff}}}},
    \qquad n_{\mathrm{eff}} = \frac{(\sum_i w_i)^2}{\sum_i w_i^2},

:math:`c` the largest curvature of a term of the loss in a margin
(:math:`1 / \mu` smoothed, 2 for the squared hinge, less for the softmax),
:math:`K` the number of classes and :math:`n_{\mathrm{eff}}` the effective
number of samples (:math:`n` for equal weights). In float64 the bound is far
below ``tol * |F|`` at the usual ``tol``, and the rule is the one above; in
float32, where :math:`\epsilon = 2^{-23}`, :math:`\rho` is what ends the last
smoothing stages, and at a smoothing below the rounding of the scores it
exceeds any gradient the stage could lower, so that the stage ends at once.
"""

import numpy as np
import scipy.sparse as sp

from ._continuation import relative_threshold

__all__ = ["ScaledGradient", "feature_scales", "penalty_curvature"]

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
    weights = _weight_shares(problem)
    if not weights.any():
        return np.zeros(n_features)
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


def _weight_shares(problem):
    r""":math:`\hat w_i = w_i / \sum_l w_l`, float64."""
    weights = problem.sample_weight
    if weights is None:
        return np.full(problem.n_samples, 1.0 / max(problem.n_samples, 1))
    weights = np.asarray(weights, dtype=np.float64)
    # Divided by the largest first, so that the sum cannot overflow.
    peak = float(np.max(weights, initial=0.0))
    if not peak > 0:
        return np.zeros(len(weights))
    weights = weights / peak
    return weights / weights.sum()


def penalty_curvature(problem):
    r""":math:`\alpha R''`, the curvature of the penalty along each weight.

    The penalties are a quadratic part plus an L1 part (``"l2"``: 2,
    ``"elasticnet"``: ``2 * (1 - l1_ratio)``, ``"l1"`` and none: 0), so the
    change of the gradient from 1 to 2, where the L1 part is constant, is it.
    """
    gradient = problem.penalty.gradient(np.array([[1.0, 2.0]]))
    return problem.alpha * float(gradient[0, 1] - gradient[0, 0])


class ScaledGradient:
    r"""The stopping rule: :math:`\max_p |\nabla_p F| / \sqrt{h_p} \le
    \texttt{tol} \cdot |F^\star|` (see the module).

    Parameters
    ----------
    objective : LinearObjective
        The objective whose gradients will be measured; its data are read
        once, here.
    known_scales : ndarray of shape (n_features,), default=None
        The data's feature scales :math:`\sigma_j` (:func:`feature_scales`)
        if already known, as along a path over the same data: then the data
        are not read.

    Attributes
    ----------
    feature_scales : ndarray of shape (n_features,)
        :math:`\sigma_j`, given or computed.
    inverse_scales : ndarray of shape (n_params,)
        :math:`1 / \sqrt{h_p}` for each entry of theta (``W`` row-major, then
        ``b``), float64.
    at_rounding_level : bool
        Whether the last :meth:`reached` that returned True needed the floor
        :math:`\rho`, the gradient being above ``tol * |best_fun|``.
    """

    def __init__(self, objective, known_scales=None):
        problem = objective.problem
        if known_scales is None:
            known_scales = feature_scales(problem)
        self.feature_scales = known_scales
        # sqrt(sigma^2 + alpha R''), without squaring a sigma of 1e-200 or 1e200.
        scales = np.hypot(known_scales, np.sqrt(penalty_curvature(problem)))
        inverse = np.ones_like(scales)
        np.divide(1.0, scales, out=inverse, where=scales > 0)
        parts = [np.repeat(inverse, problem.n_classes)]
        if problem.fit_intercept:
            parts.append(np.ones(problem.n_classes))
        self.inverse_scales = np.concatenate(parts)
        self.dtype = objective.dtype
        self.problem = problem
        self.at_rounding_level = False
        # The weights' shares and n_eff, read by the floor (see the module).
        self._shares = _weight_shares(problem)
        squares = float(self._shares @ self._shares)
        self._effective_samples = 1.0 / squares if squares > 0 else 1.0

    def measure(self, gradient, factor=1.0):
        r""":math:`\max_p |\texttt{factor} \cdot \texttt{gradient}_p| / \sqrt{h_p}`."""
        scaled = np.abs(gradient) * self.inverse_scales
        return abs(factor) * float(np.max(scaled, initial=0.0))

    def rounding_level(self, scores, smoothing=0.0):
        r""":math:`\rho`, measured at ``scores`` for a hinge smoothed by
        ``smoothing`` (0: unsmoothed); see the module.

        In float64 whatever the dtype of ``scores``: the moves of the
        derivative are about :math:`\epsilon` of it, as large as its own
        rounding in the dtype, which would measure the order of the
        operations rather than the scores. A block of rows at a time, the
        scores and the moved scores in one call of the loss.
        """
        problem = self.problem
        n_samples, n_classes = scores.shape
        eps = np.finfo(scores.dtype).eps
        shift = np.where(np.arange(n_classes) % 2, -eps, eps)
        sums = np.zeros(n_classes)
        rows = max(1, _CHUNK // (2 * n_classes))
        for start in range(0, n_samples, rows):
            block = slice(start, start + rows)
            pair = np.stack([scores[block], scores[block]]).astype(np.float64)
            pair[1] += np.abs(pair[1]) * shift
            # Unweighted: the loss divides each row by the block's length,
            # which the shares, times that length, replace.
            _, dscores = problem.loss(pair, problem.y[block], smoothing=smoothing)
            change = dscores[1] - dscores[0]
            change *= (self._shares[block] * len(change))[:, np.newaxis]
            sums += np.einsum("ik,ik->k", change, change)
        return float(np.sqrt(sums.max(initial=0.0)))

    def rounding_bound(self, scores, smoothing=0.0):
        r"""The bound on :math:`\rho` that decides whether to measure it: no
        work of the size of ``scores`` but finding their largest magnitude."""
        problem = self.problem
        peak = max(
            float(np.max(scores, initial=0.0)), -float(np.min(scores, initial=0.0))
        )
        curvature = 1.0 / smoothing if smoothing else 2.0
        eps = np.finfo(scores.dtype).eps
        spread = 2 * (problem.n_classes - 1) * curvature * eps * peak
        return spread / np.sqrt(self._effective_samples)

    def reached(self, gradient, tol, best_fun, factor=1.0, scores=None, smoothing=0.0):
        """Whether ``factor * gradient`` meets the rule at ``tol`` and ``best_fun``.

        ``factor`` lets a caller pass a gradient mapping ``L * d`` as ``d``
        and ``L`` without forming it. With ``scores`` (those the gradient was
        computed from, for a hinge smoothed by ``smoothing``) the rule is met
        at the gradient's rounding level too (:meth:`rounding_level`), and
        :attr:`at_rounding_level` says whether that was needed; it is
        computed only when the gradient is above ``tol * |best_fun|``.
        """
        measure = self.measure(gradient, factor)
        if measure <= relative_threshold(tol, best_fun, self.dtype):
            self.at_rounding_level = False
            return True
        # Each test written so that a NaN level fails it.
        if scores is None or not measure <= self.rounding_bound(scores, smoothing):
            return False
        if not measure <= self.rounding_level(scores, smoothing):
            return False
        self.at_rounding_level = True
        return True
