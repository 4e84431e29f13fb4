r"""The training objective: a loss and a penalty composed with the linear model.

.. math::

    L(W, b) = \frac{\sum_i w_i\, L_i(x_i W + b,\ y_i)}{\sum_i w_i} + \alpha R(W)

:class:`LinearObjective` knows the data, the loss and the penalty, and nothing
about how it will be minimized; the optimizers in :mod:`sklinear.optimizers`
know the objective only through the methods below, on a flat parameter
vector :math:`\theta` = ``concat(W.ravel(), b)`` (``b`` omitted when the
intercept is not fitted).

For proximal methods the objective splits into a smooth part
:math:`f` (the data loss, smoothed by :math:`\mu` for the hinge losses) and
the penalty :math:`g = \alpha R(W)`, handled through its proximal operator.
"""

import functools

import numpy as np
import scipy.sparse as sp

__all__ = ["LinearObjective", "Line"]


class LinearObjective:
    r"""Regularized empirical risk of a multiclass linear model.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training data; sparse matrices are used as they are (never densified).
    y : ndarray of shape (n_samples,)
        Integer class indices in ``0..n_classes-1``.
    loss : callable
        ``loss(scores, y, sample_weight=..., smoothing=..., out=...,
        gradient=...)`` returning ``(value, dscores)``, e.g. from
        :data:`sklinear.losses.LOSSES`: ``out`` is a class-major buffer for
        ``dscores`` that the objective reuses across calls, ``gradient=False``
        asks for the value alone, and scores may carry a leading batch
        dimension (see :mod:`sklinear.losses`).
    smooth : bool
        Whether ``loss`` is differentiable; a non-smooth loss must accept a
        ``smoothing`` keyword.
    penalty : object
        A penalty from :mod:`sklinear.penalties`.
    alpha : float
        Regularization strength :math:`\alpha`.
    n_classes : int
        Number of columns of :math:`W`.
    sample_weight : ndarray of shape (n_samples,), default=None
        Sample weights :math:`w_i`; all ones when None.
    fit_intercept : bool, default=True
        Whether :math:`\theta` holds an intercept :math:`b`.
    smoothing_scale : float, default=1.0
        The scale of scores at which a non-smooth loss bends (its margin):
        where optimizers start their smoothing.

    See Also
    --------
    sklinear.losses : The losses it composes.
    sklinear.penalties : The penalties it composes.
    sklinear.optimizers : What minimizes it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear.losses import LOSSES
    >>> from sklinear.objective import LinearObjective
    >>> from sklinear.penalties import L2
    >>> X, y = np.eye(3), np.array([0, 1, 2])
    >>> obj = LinearObjective(X, y, loss=LOSSES["hinge"].function, smooth=False,
    ...                       penalty=L2(), alpha=0.1, n_classes=3)
    >>> obj.value(np.zeros(obj.n_params))  # two violated unit margins per sample
    2.0
    """

    #: Scores one block of :meth:`values` holds: 2 MiB in float64, cache-sized.
    _BLOCK_ENTRIES = 2**18
    #: Dense products of at most ``_BLOCKED_WORK`` multiply-adds (those ``fit``
    #: runs on one thread) are taken on row blocks of at most ``_BLOCK_WORK``.
    #: OpenBLAS's AVX-512 kernels hand products up to 10^6 multiply-adds to
    #: faster small-matrix code: on digits (1797 x 64 x 10, one thread) two
    #: blocks took the forward product from 46 to 38 us and the backward from
    #: 43 to 31 us. With its AVX2 kernels the blocks cost the forward 2% and
    #: saved the backward up to 5%. Larger products stay whole, for BLAS to
    #: thread.
    _BLOCK_WORK = 10**6
    _BLOCKED_WORK = 10**7

    def __init__(
        self,
        X,
        y,
        *,
        loss,
        smooth,
        penalty,
        alpha,
        n_classes,
        sample_weight=None,
        fit_intercept=True,
        smoothing_scale=1.0,
    ):
        self.X = X
        self.y = y
        self.loss = loss
        self.smooth = smooth
        self.penalty = penalty
        self.alpha = alpha
        self.n_classes = n_classes
        self.sample_weight = sample_weight
        self.fit_intercept = fit_intercept
        self.smoothing_scale = smoothing_scale
        self.dtype = X.dtype if X.dtype.kind == "f" else np.dtype(np.float64)
        self.n_coef = X.shape[1] * n_classes
        self.n_params = self.n_coef + (n_classes if fit_intercept else 0)
        self._cache = (None, None)

    @property
    def n_samples(self):
        """Number of rows of the data."""
        return self.X.shape[0]

    def subset(self, rows):
        """The same objective on the rows ``rows`` of the data (a mini-batch).

        Its data loss is the weighted mean over those rows: an unbiased
        estimate of the full data loss when the rows are drawn at random.
        """
        weights = None if self.sample_weight is None else self.sample_weight[rows]
        return LinearObjective(
            self.X[rows],
            self.y[rows],
            loss=self.loss,
            smooth=self.smooth,
            penalty=self.penalty,
            alpha=self.alpha,
            n_classes=self.n_classes,
            sample_weight=weights,
            fit_intercept=self.fit_intercept,
            smoothing_scale=self.smoothing_scale,
        )

    def accuracy(self, theta):
        """Weighted fraction of rows whose correct class has the top score."""
        correct = self.scores(theta).argmax(axis=1) == self.y
        return float(np.average(correct, weights=self.sample_weight))

    def unpack(self, theta):
        """Split ``theta`` into ``W`` of shape (n_features, n_classes) and ``b``.

        ``b`` is a zero vector when the intercept is not fitted. Both are
        views of ``theta`` where possible.
        """
        W = theta[: self.n_coef].reshape(-1, self.n_classes)
        if self.fit_intercept:
            return W, theta[self.n_coef :]
        return W, np.zeros(self.n_classes, dtype=theta.dtype)

    def pack(self, W, b):
        """Inverse of :meth:`unpack`: a new flat vector from ``W`` and ``b``."""
        parts = [np.ravel(W)] + ([np.ravel(b)] if self.fit_intercept else [])
        return np.concatenate(parts).astype(self.dtype, copy=False)

    def scores(self, theta, fresh=False):
        """Scores ``X W + b``, of shape (n_samples, n_classes).

        They are computed class-major (the returned array is the transpose
        of a C-contiguous ``(n_classes, n_samples)`` block), which is the
        layout the losses reduce over fastest. The last scores are cached,
        as optimizers often ask for the smoothed and the exact loss at the
        same point; the block is reused, so the result is only valid until
        the next call at another ``theta``. ``fresh=True`` computes them
        even if cached (or primed by :meth:`prime_scores`).
        """
        # Keyed by theta's bytes: a snapshot that later changes to theta
        # cannot alter, and ten times cheaper to compare than the values.
        key = theta.tobytes()
        cached_key, cached_scores = self._cache
        if not fresh and key == cached_key:
            return cached_scores
        S = self._scores_block
        self._cache = (None, None)  # S is about to change
        self._affine(theta, out=S)
        self._cache = (key, S)
        return S

    def _affine(self, theta, out):
        """``X W + b`` for the ``W, b`` of ``theta``, into the class-major ``out``."""
        W, b = self.unpack(theta)
        if not W.any():
            # A start from zero: no product needed. Checking costs
            # n_features * n_classes reads, the product n_samples times more.
            out[...] = 0
        elif sp.issparse(self.X):
            out[...] = self.X @ W
        else:
            # (W^T X^T)^T: BLAS writes the class-major block directly, small
            # products a block of rows at a time (see _BLOCK_WORK).
            for rows in self._row_blocks:
                np.matmul(W.T, self.X[rows].T, out=out.T[:, rows])
        if self.fit_intercept:
            out += b
        return out

    def prime_scores(self, theta, scores):
        r"""Take ``scores`` as the scores of ``theta`` for the next evaluation there.

        The scores are affine in ``theta``, so an optimizer that moves to a
        combination of points whose scores it kept, such as the extrapolated
        point of an accelerated method, :math:`S(z) = S(x) + \beta\,(S(x) -
        S(x'))`, can get them without a product with ``X``.
        """
        if scores is not self._scores_block:  # it may be the block scores() gave
            np.copyto(self._scores_block, scores)
        self._cache = (theta.tobytes(), self._scores_block)

    # Class-major blocks for the scores and their gradient, allocated on first
    # use and then reused: paging in fresh blocks on every evaluation cost as
    # much as the loss itself.
    @functools.cached_property
    def _scores_block(self):
        return self._class_major_block()

    @functools.cached_property
    def _dscores_block(self):
        return self._class_major_block()

    # Two more for line searches: the scores at the start of the line (the
    # last scores, swapped out of the way of the trials) and those of the
    # direction.
    @functools.cached_property
    def _spare_block(self):
        return self._class_major_block()

    @functools.cached_property
    def _direction_block(self):
        return self._class_major_block()

    @functools.cached_property
    def _row_blocks(self):
        """Slices of the rows of ``X`` that the dense products take one at a time."""
        n_samples, n_features = self.X.shape
        work = n_features * self.n_classes  # multiply-adds per row
        rows = self._BLOCK_WORK // work
        if not rows or n_samples * work > self._BLOCKED_WORK:
            return [slice(None)]
        # At least one block, empty if X has no rows: the products are zero.
        starts = range(0, max(n_samples, 1), rows)
        return [slice(start, start + rows) for start in starts]

    def _class_major_block(self):
        """An empty (n_samples, n_classes) array, class-major in memory."""
        block = np.empty((self.n_classes, self.n_samples), dtype=self.dtype)
        return block.T

    def _loss_at(self, S, out, smoothing=0.0, gradient=True, rows=slice(None)):
        kwargs = {} if self.smooth else {"smoothing": smoothing}
        weights = None if self.sample_weight is None else self.sample_weight[rows]
        return self.loss(
            S,
            self.y[rows],
            sample_weight=weights,
            out=out,
            gradient=gradient,
            **kwargs,
        )

    def _data_loss(self, theta, smoothing, gradient):
        S = self.scores(theta)
        return self._loss_at(S, self._dscores_block, smoothing, gradient)

    def _backward(self, dscores):
        """Gradient in ``theta`` of a loss with score gradient ``dscores``."""
        if sp.issparse(self.X):
            grad_W = self.X.T @ dscores
        else:
            # (D X)^T with D the class-major (n_classes, n_samples) block: no
            # operand transposed for BLAS. On 160k x 256 scores of 10 classes
            # this took 18 ms against 27 ms for X^T D^T with OpenBLAS's AVX-512
            # kernels (22 against 21 ms with its AVX2 ones).
            first, *others = self._row_blocks
            grad_W = dscores.T[:, first] @ self.X[first]
            for rows in others:
                grad_W += dscores.T[:, rows] @ self.X[rows]
            grad_W = grad_W.T
        grad = np.empty(self.n_params, dtype=grad_W.dtype)
        grad[: self.n_coef].reshape(grad_W.shape)[...] = grad_W
        if self.fit_intercept:
            dscores.sum(axis=0, out=grad[self.n_coef :])
        return grad

    def data_loss(self, theta, smoothing=0.0):
        """Data loss ``f`` at ``theta`` (smoothed by ``smoothing`` for a hinge loss)."""
        return self._data_loss(theta, smoothing, gradient=False)[0]

    def data_loss_gradient(self, theta, smoothing=0.0):
        """Data loss ``f`` and its (sub)gradient with respect to ``theta``."""
        value, dscores = self._data_loss(theta, smoothing, gradient=True)
        return value, self._backward(dscores)

    def penalty_value(self, theta):
        r"""The penalty term :math:`g = \alpha R(W)`."""
        return self.alpha * self.penalty.value(self.unpack(theta)[0])

    def prox(self, theta, step):
        r"""Proximal operator of ``step * g`` at ``theta``; the intercept is kept."""
        out = theta.copy()
        W = out[: self.n_coef]
        W[:] = self.penalty.prox(W, step * self.alpha)
        return out

    def value(self, theta):
        """The full objective ``L`` at ``theta``."""
        return self.data_loss(theta) + self.penalty_value(theta)

    def value_and_gradient(self, theta, smoothing=0.0):
        """The full objective ``L`` and its (sub)gradient at ``theta``."""
        value, grad = self.data_loss_gradient(theta, smoothing)
        self._add_penalty_gradient(theta, grad)
        return value + self.penalty_value(theta), grad

    def _add_penalty_gradient(self, theta, grad):
        W = self.unpack(theta)[0]
        grad[: self.n_coef] += self.alpha * np.ravel(self.penalty.gradient(W))

    def line(self, theta, direction, smoothing=0.0):
        r"""The objective on the line :math:`\theta + t\,d`, for a line search.

        Scores are affine in the parameters,
        :math:`S(\theta + t\,d) = S(\theta) + t\,(X d_W + d_b)`, so after one
        product with ``X`` every trial step costs only the loss on the
        ``(n_samples, n_classes)`` scores, and the slope
        :math:`\varphi'(t) = \langle \partial L / \partial S,\ X d_W + d_b
        \rangle + \alpha \langle \nabla R(W_t), d_W \rangle` comes without
        another. Only the gradient at the step finally taken costs a second
        product, :math:`X^\top D`. The scores of the last step tried become the
        cached scores of that point, so an optimizer moving there evaluates it
        without a product.

        Parameters
        ----------
        theta : ndarray of shape (n_params,)
            Start of the line.
        direction : ndarray of shape (n_params,)
            Its direction :math:`d`.
        smoothing : float, default=0.0
            Smoothing of a hinge loss along the line.

        Returns
        -------
        line : Line
            Valid until the next call of ``line``, which reuses its memory.
        """
        return Line(self, theta, direction, smoothing)

    def values(self, thetas, batch_size=64):
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
        n_candidates = thetas.shape[0]
        n_features, n_classes = self.X.shape[1], self.n_classes
        batch_size = min(batch_size, n_candidates)
        rows = max(1, self._BLOCK_ENTRIES // (batch_size * n_classes))
        weights = self.sample_weight
        if weights is None:
            weights = np.ones(self.n_samples)
        # A block adds its weighted mean loss times its share of the weight.
        shares = np.add.reduceat(weights, np.arange(0, self.n_samples, rows))
        shares /= weights.sum()
        blocks = [
            (slice(k * rows, (k + 1) * rows), share)
            for k, share in enumerate(shares)
            if share > 0
        ]
        # Two cache-sized buffers, reused: the scores and the loss's workspace.
        buffer_size = batch_size * n_classes * min(rows, self.n_samples)
        scores, work = np.empty((2, buffer_size), self.dtype)
        # With an intercept, a dense block of rows is copied next to a column
        # of ones, so that the product adds the intercepts: an extra pass over
        # the block's scores cost a quarter of the product on digits.
        augment = self.fit_intercept and not sp.issparse(self.X)
        if augment:
            rows_ones = np.ones((min(rows, self.n_samples), n_features + 1), self.dtype)
        out = np.empty(n_candidates)
        for start in range(0, n_candidates, batch_size):
            batch = thetas[start : start + batch_size]
            size = len(batch)
            W = batch[:, : self.n_coef].reshape(size, n_features, n_classes)
            # Every candidate's W^T stacked: (size * n_classes, n_features),
            # and the intercepts as a last column when augmenting.
            stacked = np.swapaxes(W, 1, 2).reshape(-1, n_features)
            if augment:
                intercepts = batch[:, self.n_coef :].reshape(-1, 1)
                stacked = np.concatenate([stacked, intercepts], axis=1)
            losses = np.zeros(size)
            for block, share in blocks:
                X = self.X[block]
                m = X.shape[0]
                # The whole batch's scores on the block, class-major.
                T = scores[: size * n_classes * m].reshape(size * n_classes, m)
                if augment:
                    rows_ones[:m, :n_features] = X
                    np.matmul(stacked, rows_ones[:m].T, out=T)
                elif sp.issparse(X):
                    T[...] = (X @ stacked.T).T
                else:
                    np.matmul(stacked, X.T, out=T)
                T = T.reshape(size, n_classes, m)
                if self.fit_intercept and not augment:
                    T += batch[:, self.n_coef :, np.newaxis]
                D = work[: T.size].reshape(T.shape)
                block_losses, _ = self._loss_at(
                    T.swapaxes(1, 2), D.swapaxes(1, 2), gradient=False, rows=block
                )
                losses += share * block_losses
            penalties = [self.penalty.value(W_k) for W_k in W]
            out[start : start + size] = losses + self.alpha * np.asarray(penalties)
        return out


class Line:
    r"""A :class:`LinearObjective` restricted to the line :math:`\theta + t\,d`.

    Made by :meth:`LinearObjective.line`. Calling it at a step ``t`` gives
    :math:`\varphi(t) = L(\theta + t\,d)` and its slope :math:`\varphi'(t)`;
    :meth:`gradient` gives the full gradient there. The last step evaluated
    is remembered, so asking for the value, the point and the gradient at
    the same ``t`` evaluates the loss once.

    Attributes
    ----------
    theta : ndarray of shape (n_params,)
        Start of the line.
    direction : ndarray of shape (n_params,)
        Its direction.
    smoothing : float
        Smoothing of a hinge loss along the line.

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear.losses import LOSSES
    >>> from sklinear.objective import LinearObjective
    >>> from sklinear.penalties import L2
    >>> X, y = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0, 1, 1])
    >>> obj = LinearObjective(X, y, loss=LOSSES["cross_entropy"].function,
    ...                       smooth=True, penalty=L2(), alpha=0.1, n_classes=2)
    >>> theta = np.zeros(obj.n_params)
    >>> value, grad = obj.value_and_gradient(theta)
    >>> line = obj.line(theta, -grad)
    >>> value_at_1, slope_at_1 = line(1.0)
    >>> bool(np.isclose(value_at_1, obj.value(-grad)))
    True
    >>> bool(np.isclose(line(0.0)[1], -grad @ grad))
    True
    """

    def __init__(self, objective, theta, direction, smoothing):
        self._objective = objective
        self.theta, self.direction, self.smoothing = theta, direction, smoothing
        base = objective.scores(theta)
        # Trials write the objective's scores block; the start's scores move
        # to the spare one, where they stay untouched.
        objective._scores_block, objective._spare_block = objective._spare_block, base
        self._base = base
        self._along = objective._affine(direction, out=objective._direction_block)
        self._direction_W = objective.unpack(direction)[0]
        self._t = None

    def __call__(self, t):
        r""":math:`\varphi(t)` and :math:`\varphi'(t)`, as two floats."""
        if t != self._t:
            self._evaluate(t)
        return self._value, self._slope

    def point(self, t):
        r"""The parameters :math:`\theta + t\,d`, whose scores were the last tried."""
        if t != self._t:
            self._evaluate(t)
        return self._point

    def gradient(self, t):
        r"""The gradient of the objective at :math:`\theta + t\,d`: one product."""
        if t != self._t:
            self._evaluate(t)
        objective = self._objective
        grad = objective._backward(self._dscores)
        objective._add_penalty_gradient(self._point, grad)
        return grad

    def _evaluate(self, t):
        t = float(t)  # a NumPy float64 would promote float32 parameters
        objective = self._objective
        S = objective._scores_block
        if t == 1.0:
            # The step quasi-Newton methods try first, and nearly always
            # take: one pass over the scores instead of two, same numbers.
            np.add(self._base, self._along, out=S)
            point = self.theta + self.direction
        else:
            np.multiply(self._along, t, out=S)
            S += self._base
            point = self.theta + t * self.direction
        objective._cache = (point.tobytes(), S)
        value, dscores = objective._loss_at(S, objective._dscores_block, self.smoothing)
        W = objective.unpack(point)[0]
        penalty = objective.penalty
        self._value = float(value) + objective.alpha * penalty.value(W)
        # The blocks are class-major: their transposes are contiguous.
        data_slope = np.vdot(dscores.T, self._along.T)
        penalty_slope = np.vdot(penalty.gradient(W), self._direction_W)
        self._slope = float(data_slope) + objective.alpha * float(penalty_slope)
        self._t, self._point, self._dscores = t, point, dscores
