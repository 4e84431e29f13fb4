r"""The problem a linear classifier solves, described and nothing more.

.. math::

    \min_{W, b}\ \frac{\sum_i w_i\, L_i(x_i W + b,\ y_i)}{\sum_i w_i}
    + \alpha R(W)

A :class:`LinearProblem` holds the data, the loss (a named
:class:`~sklinear.losses.Loss` with its margin), the penalty, ``alpha``, the
sample weights as given and whether an intercept is fitted. It keeps no
buffers and no caches: evaluating it is the job of
:class:`~sklinear.objective.LinearObjective`, minimizing it that of
:mod:`sklinear.optimizers`. :func:`make_problem` builds one from names, as
the estimators, the command line, the benchmarks and the examples all do.

The parameters travel as one flat vector :math:`\theta` =
``concat(W.ravel(), b)`` (``b`` omitted without an intercept);
:meth:`LinearProblem.unpack` and :meth:`LinearProblem.pack` convert.
"""

import dataclasses

import numpy as np
import scipy.sparse as sp

from .losses import Loss, make_loss
from .penalties import make_penalty

__all__ = ["LinearProblem", "make_problem"]


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class LinearProblem:
    r"""A regularized multiclass linear classification problem.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training data; sparse matrices are used as they are (never densified).
    y : ndarray of shape (n_samples,)
        Integer class indices in ``0..n_classes-1``.
    n_classes : int
        Number of columns of :math:`W`.
    loss : Loss
        The loss, with its parameters (see :func:`sklinear.losses.make_loss`).
    penalty : object
        A penalty from :mod:`sklinear.penalties`.
    alpha : float
        Regularization strength :math:`\alpha`.
    sample_weight : ndarray of shape (n_samples,) or None, default=None
        Sample weights :math:`w_i` as given, not normalized (a dual solver
        uses them as box bounds); None means all ones.
    fit_intercept : bool, default=True
        Whether :math:`\theta` holds an intercept :math:`b`.

    See Also
    --------
    make_problem : Build one from names.
    sklinear.objective.LinearObjective : Evaluates it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear.problem import make_problem
    >>> problem = make_problem(np.eye(3), np.array([0, 1, 2]), loss="hinge",
    ...                        alpha=0.1)
    >>> problem.loss.name, problem.loss.margin, problem.penalty.is_l2
    ('hinge', 1.0, True)
    >>> problem.n_params  # 3 x 3 weights and 3 intercepts
    12
    """

    X: object
    y: np.ndarray
    n_classes: int
    loss: Loss
    penalty: object
    alpha: float
    sample_weight: np.ndarray | None = None
    fit_intercept: bool = True

    def __repr__(self):
        kind = "sparse" if sp.issparse(self.X) else "dense"
        weights = "weighted" if self.sample_weight is not None else "unweighted"
        return (
            f"LinearProblem({self.n_samples} x {self.n_features} {kind} "
            f"{self.dtype}, {self.n_classes} classes, loss={self.loss.name!r}, "
            f"penalty={self.penalty.name!r}, alpha={self.alpha!r}, {weights}, "
            f"fit_intercept={self.fit_intercept})"
        )

    @property
    def n_samples(self):
        """Number of rows of the data."""
        return self.X.shape[0]

    @property
    def n_features(self):
        """Number of columns of the data (rows of :math:`W`)."""
        return self.X.shape[1]

    @property
    def n_coef(self):
        """Number of entries of :math:`W`."""
        return self.n_features * self.n_classes

    @property
    def n_params(self):
        r"""Length of :math:`\theta`: the weights, and the intercepts if fitted."""
        return self.n_coef + (self.n_classes if self.fit_intercept else 0)

    @property
    def dtype(self):
        """The floating-point type of the parameters: the data's, or float64."""
        return self.X.dtype if self.X.dtype.kind == "f" else np.dtype(np.float64)

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

    def subset(self, rows):
        """The same problem on the rows ``rows`` of the data (a mini-batch).

        Its data loss is the weighted mean over those rows: an unbiased
        estimate of the full data loss when the rows are drawn at random.
        """
        weights = None if self.sample_weight is None else self.sample_weight[rows]
        return dataclasses.replace(
            self, X=self.X[rows], y=self.y[rows], sample_weight=weights
        )

    def replace(self, **changes):
        """A copy with some fields changed, e.g. ``problem.replace(alpha=1e-3)``."""
        return dataclasses.replace(self, **changes)


def make_problem(
    X,
    y,
    *,
    loss="cross_entropy",
    margin=1.0,
    penalty="l2",
    l1_ratio=0.15,
    alpha=1e-4,
    sample_weight=None,
    fit_intercept=True,
    n_classes=None,
):
    """Describe the problem of fitting ``(X, y)`` with these settings.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training data, used as it is (neither copied nor converted).
    y : array-like of shape (n_samples,)
        Integer class indices in ``0..n_classes-1``.
    loss : str or Loss, default="cross_entropy"
        A name from :data:`sklinear.losses.LOSSES`, or a :class:`Loss`.
    margin : float, default=1.0
        The margin of a hinge loss given by name.
    penalty : {"l2", "l1", "elasticnet"}, None or penalty object, default="l2"
        A name from :data:`sklinear.penalties.PENALTIES`, or a penalty.
    l1_ratio : float, default=0.15
        Elastic-net mixing parameter of a penalty given by name.
    alpha : float, default=1e-4
        Regularization strength.
    sample_weight : ndarray of shape (n_samples,), default=None
        Sample weights, kept as given; None for all ones.
    fit_intercept : bool, default=True
        Whether to fit an intercept.
    n_classes : int, default=None
        Number of classes; ``max(y) + 1`` when None.

    Returns
    -------
    problem : LinearProblem

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear.problem import make_problem
    >>> X, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([0, 1])
    >>> make_problem(X, y, penalty="elasticnet", l1_ratio=0.5).penalty.l1_ratio
    0.5
    """
    y = np.asarray(y, dtype=np.intp)
    if not isinstance(loss, Loss):
        loss = make_loss(loss, margin)
    if penalty is None or isinstance(penalty, str):
        penalty = make_penalty(penalty, l1_ratio)
    if n_classes is None:
        n_classes = int(y.max()) + 1 if y.size else 0
    return LinearProblem(
        X=X,
        y=y,
        n_classes=int(n_classes),
        loss=loss,
        penalty=penalty,
        alpha=alpha,
        sample_weight=sample_weight,
        fit_intercept=fit_intercept,
    )
