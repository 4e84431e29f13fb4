"""The evaluator: :class:`LinearObjective`, and :func:`objective_value`."""

import functools

import numpy as np
import scipy.sparse as sp

from .._threading import SINGLE_THREAD_WORK, blas_threads
from ._batches import CandidateBatches
from ._line import Line

__all__ = ["LinearObjective", "objective_value"]

#: Dense products of at most this many multiply-adds are taken on row blocks
#: of this size: OpenBLAS hands such products to faster small-matrix code.
ROW_BLOCK_WORK = 10**6
#: Rows whose scores :meth:`LinearObjective.predict` copies at a time.
ARGMAX_ROWS = 4096


class LinearObjective:
    r"""Evaluates the regularized empirical risk of a :class:`LinearProblem`.

    Parameters
    ----------
    problem : LinearProblem
        What to evaluate; see :func:`sklinear.problem.make_problem`.

    Attributes
    ----------
    problem : LinearProblem
        The problem.
    n_params : int
        Length of :math:`\theta`.
    dtype : numpy.dtype
        The floating-point type of :math:`\theta` and of the scores.

    Notes
    -----
    The evaluator reuses its memory: arrays it returns are valid until its
    next call that computes scores itself. The gradients it returns are new
    arrays.

    See Also
    --------
    sklinear.problem.make_problem : Describe a problem.
    sklinear.optimizers : What minimizes it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear.objective import LinearObjective
    >>> from sklinear.problem import make_problem
    >>> X, y = np.eye(3), np.array([0, 1, 2])
    >>> objective = LinearObjective(make_problem(X, y, loss="hinge", alpha=0.1))
    >>> objective.value(np.zeros(objective.n_params))  # two unit violations a row
    2.0
    """

    def __init__(self, problem):
        self.problem = problem
        self.n_params = problem.n_params
        self.dtype = problem.dtype
        self._last_value = None  # (theta, smoothing, value) of the last value()

    @property
    def n_samples(self):
        """Number of rows of the data."""
        return self.problem.n_samples

    def unpack(self, theta):
        """``W`` and ``b`` of ``theta``; see :meth:`LinearProblem.unpack`."""
        return self.problem.unpack(theta)

    def pack(self, W, b):
        """``theta`` of ``W`` and ``b``; see :meth:`LinearProblem.pack`."""
        return self.problem.pack(W, b)

    def subset(self, rows):
        """An evaluator of the same problem on the rows ``rows`` (a mini-batch)."""
        return LinearObjective(self.problem.subset(rows))

    def blas_threads(self, candidates_per_product=1, own_products=False):
        """The threading policy for products of this evaluator's size.

        A context manager (see :func:`sklinear._threading.blas_threads`):
        within it, small products run BLAS on one thread, and so do all on
        sparse data unless the optimizer takes ``own_products``.
        """
        width = self.problem.n_classes * candidates_per_product
        return blas_threads(self.problem.X, width, own_products)

    # -- scores and their gradient -------------------------------------------

    def scores(self, theta, out=None):
        """Scores ``X W + b`` of ``theta``, of shape (n_samples, n_classes).

        They are computed class-major (the result is the transpose of a
        C-contiguous ``(n_classes, n_samples)`` block), the layout the losses
        reduce over fastest. ``out``, such an array, receives them; without
        it a new one is allocated. Scores are affine in ``theta``, so those of
        a combination of points are the same combination of their scores.
        """
        if out is None:
            out = self.empty_scores()
        W, b = self.unpack(theta)
        X = self.problem.X
        if not W.any():
            # A start from zero: no product needed. Checking costs
            # n_features * n_classes reads, the product n_samples times more.
            out[...] = 0
        elif sp.issparse(X):
            out[...] = X @ W
        else:
            # (W^T X^T)^T: BLAS writes the class-major block directly, small
            # products a block of rows at a time.
            for rows in self._row_blocks:
                np.matmul(W.T, X[rows].T, out=out.T[:, rows])
        if self.problem.fit_intercept:
            out += b
        return out

    def scratch_scores(self, theta):
        """Scores of ``theta`` in the evaluator's own memory: valid until its
        next call that computes scores itself (no allocation)."""
        return self.scores(theta, out=self._scratch)

    def intercept_scores(self, b):
        """Scores of the weights ``W = 0`` with intercept ``b``: ``b`` in every
        row (zeros without an intercept), the numbers :meth:`scores` gives
        there. In the evaluator's memory like :meth:`scratch_scores`, with no
        product and no zero weights to pack."""
        out = self._scratch
        out[...] = 0
        if self.problem.fit_intercept:
            out += b
        return out

    def empty_scores(self):
        """An uninitialized class-major array of the scores' shape and dtype."""
        block = np.empty((self.problem.n_classes, self.n_samples), dtype=self.dtype)
        return block.T

    # Blocks allocated on first use and then reused: paging in fresh blocks on
    # every evaluation cost as much as the loss itself. ``_scratch`` holds the
    # scores of calls given none, ``_dscores`` the loss's gradient; lines also
    # use ``_spare`` for their trials and ``_direction`` for X d.
    @functools.cached_property
    def _scratch(self):
        return self.empty_scores()

    @functools.cached_property
    def _dscores(self):
        return self.empty_scores()

    @functools.cached_property
    def _spare(self):
        return self.empty_scores()

    @functools.cached_property
    def _direction(self):
        return self.empty_scores()

    @functools.cached_property
    def _row_blocks(self):
        """Slices of the rows of ``X`` that the dense products take one at a time.

        Only products that run on one thread (see :mod:`sklinear._threading`)
        are split, and only where a block can hold a row.
        """
        n_samples, n_features = self.problem.X.shape
        work = n_features * self.problem.n_classes  # multiply-adds per row
        rows = ROW_BLOCK_WORK // work
        if not rows or n_samples * work > SINGLE_THREAD_WORK:
            return [slice(None)]
        # At least one block, empty if X has no rows: the products are zero.
        starts = range(0, max(n_samples, 1), rows)
        return [slice(start, start + rows) for start in starts]

    def _loss(self, scores, smoothing=0.0, gradient=True, rows=slice(None), out=None):
        """The problem's loss at ``scores``, its gradient into ``out``."""
        problem = self.problem
        weights = problem.sample_weight
        return problem.loss(
            scores,
            problem.y[rows],
            sample_weight=None if weights is None else weights[rows],
            smoothing=smoothing,
            out=self._dscores if out is None else out,
            gradient=gradient,
        )

    def _backward(self, dscores):
        """Gradient in ``theta`` of a loss with score gradient ``dscores``."""
        X = self.problem.X
        n_coef = self.problem.n_coef
        if sp.issparse(X):
            grad_W = X.T @ dscores
        else:
            # (D X)^T with D the class-major (n_classes, n_samples) block: no
            # operand transposed for BLAS.
            first, *others = self._row_blocks
            grad_W = dscores.T[:, first] @ X[first]
            for rows in others:
                grad_W += dscores.T[:, rows] @ X[rows]
            grad_W = grad_W.T
        grad = np.empty(self.n_params, dtype=grad_W.dtype)
        grad[:n_coef].reshape(grad_W.shape)[...] = grad_W
        if self.problem.fit_intercept:
            dscores.sum(axis=0, out=grad[n_coef:])
        return grad

    def _scores_of(self, theta, scores):
        return self.scores(theta, out=self._scratch) if scores is None else scores

    # -- values and gradients ------------------------------------------------

    def data_loss(self, theta, smoothing=0.0, scores=None):
        """Data loss ``f`` at ``theta`` (smoothed by ``smoothing`` for a hinge loss).

        ``scores``, if given, are taken as the scores of ``theta``.
        """
        return self._loss(self._scores_of(theta, scores), smoothing, False)[0]

    def data_loss_gradient(self, theta, smoothing=0.0, scores=None):
        """Data loss ``f`` and its (sub)gradient with respect to ``theta``."""
        value, dscores = self._loss(self._scores_of(theta, scores), smoothing)
        return value, self._backward(dscores)

    def penalty_value(self, theta):
        r"""The penalty term :math:`g = \alpha R(W)`."""
        problem = self.problem
        return problem.alpha * problem.penalty.value(self.unpack(theta)[0])

    def _add_penalty_gradient(self, theta, grad):
        problem = self.problem
        W = self.unpack(theta)[0]
        grad[: problem.n_coef] += problem.alpha * np.ravel(problem.penalty.gradient(W))

    def prox(self, theta, step):
        r"""Proximal operator of ``step * g`` at ``theta``; the intercept is kept."""
        problem = self.problem
        out = theta.copy()
        W = out[: problem.n_coef]
        W[:] = problem.penalty.prox(W, step * problem.alpha)
        return out

    def value(self, theta, smoothing=0.0, scores=None):
        """The full objective ``L`` at ``theta`` (its data loss smoothed if asked).

        A value computed from the scores of ``theta`` (``scores`` None) is
        remembered with a copy of ``theta``, and asked for again at an equal
        ``theta`` it is returned without a product: the optimizers end with
        the exact value of their result, and the estimators then evaluate
        the result once more (a pass over ``X`` a fit, which on a warm path
        of short fits is a share of the time).
        """
        if scores is None and self._last_value is not None:
            last_theta, last_smoothing, last = self._last_value
            if last_smoothing == smoothing and np.array_equal(last_theta, theta):
                return last
        value = self.data_loss(theta, smoothing, scores) + self.penalty_value(theta)
        if scores is None:
            self._last_value = (np.array(theta, copy=True), smoothing, value)
        return value

    def fresh_value(self, theta):
        """The objective at ``theta`` computed afresh, and its scores.

        The value is remembered as :meth:`value` remembers it; the scores
        are in the evaluator's memory (see the class notes).
        """
        scores = self.scores(theta, out=self._scratch)
        value = self.data_loss(theta, scores=scores) + self.penalty_value(theta)
        self._last_value = (np.array(theta, copy=True), 0.0, value)
        return value, scores

    def value_and_gradient(self, theta, smoothing=0.0, scores=None):
        """The full objective ``L`` and its (sub)gradient at ``theta``."""
        value, grad = self.data_loss_gradient(theta, smoothing, scores)
        self._add_penalty_gradient(theta, grad)
        return value + self.penalty_value(theta), grad

    def predict(self, theta, scores=None):
        """Index of the top-scoring class of each row (no scores kept).

        ``scores``, if given, are taken as the scores of ``theta``.
        """
        scores = self._scores_of(theta, scores)
        labels = np.empty(self.n_samples, dtype=np.intp)
        # NumPy's argmax along the strided class axis first copies all the
        # scores to rows; a block of rows at a time that copy stays small.
        for start in range(0, self.n_samples, ARGMAX_ROWS):
            rows = slice(start, start + ARGMAX_ROWS)
            scores[rows].argmax(axis=1, out=labels[rows])
        return labels

    def accuracy(self, theta):
        """Weighted fraction of rows whose correct class has the top score."""
        correct = self.predict(theta) == self.problem.y
        return float(np.average(correct, weights=self.problem.sample_weight))

    # -- lines and batches ---------------------------------------------------

    def line(self, theta, direction, smoothing=0.0, scores=None):
        r"""The objective on the line :math:`\theta + t\,d`, for a line search.

        Scores are affine in the parameters,
        :math:`S(\theta + t\,d) = S(\theta) + t\,(X d_W + d_b)`, so after one
        product with ``X`` every trial step costs only the loss on the
        ``(n_samples, n_classes)`` scores, and the slope
        :math:`\varphi'(t) = \langle \partial L / \partial S,\ X d_W + d_b
        \rangle + \alpha \langle \nabla R(W_t), d_W \rangle` comes without
        another. Only the gradient at the step finally taken costs a second
        product, :math:`X^\top D`.

        Parameters
        ----------
        theta : ndarray of shape (n_params,)
            Start of the line.
        direction : ndarray of shape (n_params,)
            Its direction :math:`d`.
        smoothing : float, default=0.0
            Smoothing of a hinge loss along the line.
        scores : ndarray of shape (n_samples, n_classes), default=None
            The scores of ``theta``, if known (for example
            ``previous_line.scores(t)``); computed otherwise.

        Returns
        -------
        line : Line
            It shares the evaluator's memory, and so do its scores: both are
            valid until the evaluator next computes scores itself (a call
            without ``scores=``, or a line not started from them).
        """
        base = self._scores_of(theta, scores)
        # Trials go to a block that does not hold the start's scores, so that
        # a line started from a previous line's scores alternates the two.
        trial = self._spare if base is not self._spare else self._scratch
        along = self.scores(direction, out=self._direction)
        return Line(self, theta, direction, smoothing, base, along, trial)

    def batch_values(self, thetas, batch_size=64):
        """Objective at each row of ``thetas``, with one matrix product per block.

        Stacking candidates turns many thin products ``X @ W`` into one wide
        one, which is what makes random search affordable. The rows of ``X``
        are taken a block at a time, so that a block's scores for the whole
        batch stay in cache while the loss reduces them, and ``X`` is read
        once per batch instead of once per candidate.

        Parameters
        ----------
        thetas : ndarray of shape (n_candidates, n_params)
            Candidate parameter vectors.
        batch_size : int, default=64
            Candidates per matrix product.

        Returns
        -------
        values : ndarray of shape (n_candidates,)
        """
        return CandidateBatches(self, len(thetas), batch_size).values(thetas)


def objective_value(problem, coef, intercept=None):
    r"""The objective of a problem at a model given as ``coef`` and ``intercept``.

    Scores any linear classifier on the problem, scikit-learn's included, in
    the layout of scikit-learn's ``coef_`` and ``intercept_``. A two-class
    model's single row :math:`c` stands for :math:`W = [-c/2,\ c/2]`: the
    same scores' difference with the least penalty, as the fitted
    two-class models of this package have.

    Parameters
    ----------
    problem : LinearProblem
        The problem (see :func:`sklinear.problem.make_problem`).
    coef : array-like of shape (n_classes, n_features) or (1, n_features)
        The weights, one row per class.
    intercept : array-like of shape (n_classes,) or (1,), default=None
        The intercepts; zeros when None.

    Returns
    -------
    value : float

    Examples
    --------
    With :math:`W = I`, every sample's class wins by exactly the margin: no
    hinge loss, only the penalty :math:`\alpha \sum W^2 = 0.1 \cdot 3`.

    >>> import numpy as np
    >>> from sklinear import make_problem, objective_value
    >>> X, y = np.eye(3), np.array([0, 1, 2])
    >>> problem = make_problem(X, y, loss="hinge", alpha=0.1)
    >>> round(objective_value(problem, np.eye(3), np.zeros(3)), 12)
    0.3
    """
    coef = np.asarray(coef, dtype=problem.dtype)
    intercept = np.zeros(len(coef)) if intercept is None else np.ravel(intercept)
    if problem.n_classes == 2 and len(coef) == 1:
        coef = np.concatenate([-coef, coef]) / 2
        intercept = np.concatenate([-intercept, intercept]) / 2
    theta = problem.pack(coef.T, intercept)
    return LinearObjective(problem).value(theta)
