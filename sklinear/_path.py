r"""Regularization paths: the solutions for a decreasing sequence of ``alpha``.

The objective of both classifiers is

.. math::

    L(W, b) = \frac{\sum_i w_i L_i}{\sum_i w_i} + \alpha R(W).

:func:`regularization_path` minimizes it for every ``alpha`` of a grid, from
the largest down, each fit starting from the solutions before it;
:func:`alpha_max` is where the grid of an L1 or elastic-net path starts, the
smallest ``alpha`` whose solution is :math:`W = 0`. The cross-validated
classifiers of :mod:`sklinear._cv` run one path per fold.
"""

import numbers

import numpy as np
import scipy.sparse as sp
from sklearn import config_context
from sklearn.base import clone
from sklearn.utils import Bunch, column_or_1d
from sklearn.utils.multiclass import check_classification_targets

from ._base import CHECKED_MAGNITUDE
from .objective import LinearObjective

__all__ = ["alpha_max", "regularization_path"]

#: Default ratio of the last ``alpha`` of a grid to its first: four decades
#: below ``alpha_max`` for a penalty with an L1 part (glmnet's
#: ``lambda.min.ratio``), eight decades for ``"l2"``, whose grid starts far
#: higher (see :func:`_grid_start`) and needs them to reach weak
#: regularization, as ``LogisticRegressionCV``'s default ``Cs`` span eight.
EPS = {True: 1e-4, False: 1e-8}

#: An ``"l2"`` grid starts where an elastic net with this ``l1_ratio`` would
#: have :math:`W = 0` (glmnet's rule for ridge paths): ``alpha_max / 1e-3``.
L2_START_L1_RATIO = 1e-3


def _path_estimator(estimator, params):
    """A fresh copy of ``estimator`` (default: the classifier of ``params["loss"]``)
    with ``params`` set and validated."""
    from ._classes import SoftmaxClassifier, SVMClassifier

    if estimator is None:
        loss = params.get("loss", "cross_entropy")
        estimator = SoftmaxClassifier() if loss == "cross_entropy" else SVMClassifier()
    elif not isinstance(estimator, (SoftmaxClassifier, SVMClassifier)):
        raise TypeError(
            "estimator must be a SoftmaxClassifier or an SVMClassifier (or None); "
            f"got {estimator!r}."
        )
    estimator = clone(estimator).set_params(**params)
    estimator._validate_params()
    return estimator


def _prepare(estimator, X, y, sample_weight):
    """Validate ``(X, y)`` once as ``fit`` would: ``(X, y, y_encoded, problem)``.

    ``estimator`` gets ``classes_`` and ``n_features_in_`` (it is a scratch
    copy); ``problem`` is at the estimator's ``alpha``.
    """
    from ._base import _check_labels

    X, y = estimator._validate_training_data(X, _check_labels(y), reset=True)
    check_classification_targets(y)
    estimator.classes_, y_encoded = np.unique(y, return_inverse=True)
    if len(estimator.classes_) < 2:
        raise ValueError(
            "A regularization path needs samples of at least 2 classes, but the "
            f"data contains only one class: {estimator.classes_[0]!r}."
        )
    weights = estimator._sample_weight(sample_weight, X, y)
    return X, y, y_encoded, estimator._make_problem(X, y_encoded, weights)


def _data_gradient_at_zero(problem):
    r"""The gradient of the data loss in :math:`W` at :math:`W = 0` with the
    intercept :math:`b^\star` that minimizes the data loss alone.

    For the cross-entropy :math:`b^\star` gives every sample the probabilities
    :math:`\pi_k`, the weighted class frequencies, so the gradient is
    :math:`G = X^\top (\Pi - Y) / \sum_i w_i`, with rows of :math:`\Pi - Y`
    weighted by :math:`w_i` (:math:`1/K` in place of :math:`\pi` without an
    intercept). The other losses find :math:`b^\star` by L-BFGS on the
    intercept alone (one zero feature stands for the data).
    """
    from .optimizers import lbfgs

    n, k = problem.n_samples, problem.n_classes
    dtype = problem.dtype
    theta = np.zeros(problem.n_params, dtype=dtype)
    if problem.fit_intercept:
        if problem.loss.name == "cross_entropy":
            weights = (
                np.ones(n) if problem.sample_weight is None else problem.sample_weight
            )
            prior = np.bincount(problem.y, weights=weights, minlength=k)
            prior = prior / prior.sum()
            with np.errstate(divide="ignore"):
                # A class of zero weight: -inf, exactly probability 0, made
                # finite as a very negative score that exp() turns into 0.
                b = np.maximum(np.log(prior), np.log(np.finfo(dtype).tiny))
        else:
            zero = problem.replace(
                X=np.zeros((n, 1), dtype=dtype), penalty=_no_penalty(), alpha=0.0
            )
            objective = LinearObjective(zero)
            start = np.zeros(objective.n_params, dtype=dtype)
            b = zero.unpack(lbfgs(objective, start, tol=1e-10, max_iter=1000).x)[1]
        theta = problem.pack(np.zeros((problem.n_features, k), dtype=dtype), b)
    _, grad = LinearObjective(problem).data_loss_gradient(theta)
    return problem.unpack(grad)[0]


def _no_penalty():
    from .penalties import make_penalty

    return make_penalty(None)


def _l1_part(estimator):
    """The weight of the L1 part of the penalty: 1, ``l1_ratio`` or 0."""
    if estimator.penalty == "l1":
        return 1.0
    if estimator.penalty == "elasticnet":
        return float(estimator.l1_ratio)
    return 0.0


def alpha_max(X, y, *, estimator=None, sample_weight=None, **params):
    r"""The smallest ``alpha`` for which :math:`W = 0` is optimal (L1, elastic net).

    At :math:`W = 0` with the best intercept :math:`b^\star` alone, the data
    loss has gradient :math:`G` in :math:`W`. The penalty
    :math:`\alpha(\rho \sum |W_{jk}| + (1 - \rho) \sum W_{jk}^2)`, with
    :math:`\rho` the ``l1_ratio`` (1 for ``"l1"``), has subdifferential
    :math:`\alpha \rho [-1, 1]` at :math:`W = 0`, so :math:`W = 0` is
    optimal exactly when

    .. math::

        \alpha \ge \alpha_{\max} = \frac{\max_{j,k} |G_{jk}|}{\rho} .

    This is scikit-learn's :func:`~sklearn.svm.l1_min_c` in this package's
    units; a grid of ``alpha`` starting higher wastes fits on the null model.
    The value returned is :math:`\alpha_{\max}` times
    :math:`1 + \sqrt{\epsilon}` (:math:`\epsilon` the machine epsilon of
    the data's dtype), so that a fit there gives exactly :math:`W = 0`
    despite rounding; any ``alpha`` below :math:`\alpha_{\max}` gives
    :math:`W \neq 0`.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training data.
    y : array-like of shape (n_samples,)
        Target labels.
    estimator : SVMClassifier or SoftmaxClassifier, default=None
        The classifier whose loss, penalty, ``l1_ratio``, ``class_weight`` and
        ``fit_intercept`` define the problem; None for a
        :class:`SoftmaxClassifier` (an :class:`SVMClassifier` if ``params``
        names another ``loss``).
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights, as in ``fit``.
    **params : dict
        Hyperparameters set on (a copy of) ``estimator``, e.g.
        ``penalty="l1"``.

    Returns
    -------
    alpha_max : float
        Where :math:`W = 0` becomes optimal.

    Raises
    ------
    ValueError
        If the penalty has no L1 part (``"l2"``, None, or ``l1_ratio=0``):
        then :math:`W = 0` is optimal for no finite ``alpha``.

    Notes
    -----
    For the cross-entropy and ``"squared_hinge"`` the data loss is
    differentiable and the value exact. For ``"hinge"`` and
    ``"crammer_singer"`` :math:`G` is the subgradient the loss returns at
    :math:`b^\star`; it is the whole subdifferential, and the value exact,
    when no sample sits on a kink there, as when the classes have equal
    total weights (then :math:`b^\star = 0` and every wrong class violates
    the margin). Otherwise the value is an estimate; for
    ``"crammer_singer"`` every wrong class ties at :math:`W = 0`, so it is
    one: on iris :math:`W` stays 0 somewhat below it.

    See Also
    --------
    regularization_path : The solutions on a grid of ``alpha`` from here down.
    sklearn.svm.l1_min_c : The same bound for scikit-learn's ``C``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklinear import SoftmaxClassifier, alpha_max
    >>> X, y = load_iris(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> top = alpha_max(X, y, penalty="l1")
    >>> round(top, 4)
    0.435
    >>> clf = SoftmaxClassifier(penalty="l1", alpha=top).fit(X, y)
    >>> bool((clf.coef_ == 0).all())
    True
    """
    estimator = _path_estimator(estimator, params)
    rho = _l1_part(estimator)
    if not rho > 0:
        raise ValueError(
            f"alpha_max needs a penalty with an L1 part, but penalty="
            f"{estimator.penalty!r}"
            + (
                f" with l1_ratio={estimator.l1_ratio!r}"
                if estimator.penalty == "elasticnet"
                else ""
            )
            + " makes W = 0 optimal for no finite alpha."
        )
    problem = _prepare(estimator, X, y, sample_weight)[3]
    top = float(np.abs(_data_gradient_at_zero(problem)).max()) / rho
    # At the bound itself the solvers' rounding can leave weights of 1e-17.
    return float(top * (1.0 + np.sqrt(np.finfo(problem.dtype).eps)))


def _grid_start(estimator, problem):
    r"""First ``alpha`` of the default grid: :func:`alpha_max` with an L1 part;
    for ``"l2"``, :math:`\max|G| / 10^{-3}`, where the solution's weights,
    about :math:`-G / (2\alpha)`, are at most ``5e-4``: the intercept alone."""
    top = float(np.abs(_data_gradient_at_zero(problem)).max())
    if not top > 0:  # the intercept alone fits perfectly: any positive start
        top = 1.0
    rho = _l1_part(estimator)
    # Nudged up as alpha_max is, so that the first fit of an L1 path is W = 0.
    top *= 1.0 + np.sqrt(np.finfo(problem.dtype).eps)
    return top / (rho if rho > 0 else L2_START_L1_RATIO)


def _check_alphas(alphas):
    """Validated ``alphas`` (a sequence), as a decreasing float array."""
    alphas = np.asarray(alphas, dtype=np.float64)
    if alphas.ndim != 1 or alphas.size == 0:
        raise ValueError(
            f"alphas must be a positive integer or a non-empty 1-D sequence of "
            f"positive numbers; got an array of shape {alphas.shape}."
        )
    if not (np.isfinite(alphas).all() and (alphas > 0).all()):
        raise ValueError(
            f"alphas must be finite and positive; got {alphas.tolist()!r}."
        )
    return np.sort(alphas)[::-1]


def _alpha_grid(estimator, problem, alphas, eps):
    """The decreasing grid: ``alphas`` as given, or ``alphas`` log-spaced values."""
    if isinstance(alphas, numbers.Integral) and not isinstance(alphas, bool):
        if alphas < 1:
            raise ValueError(f"alphas must be a positive integer; got {alphas!r}.")
        if eps is None:
            eps = EPS[_l1_part(estimator) > 0]
        elif not 0 < eps <= 1:
            raise ValueError(f"eps must be in (0, 1]; got {eps!r}.")
        start = _grid_start(estimator, problem)
        return np.geomspace(start, start * eps, alphas)
    return _check_alphas(alphas)


def _check_path_estimator(estimator):
    if estimator.penalty is None:
        raise ValueError(
            "penalty=None has no alpha to vary: a regularization path needs "
            "penalty='l2', 'l1' or 'elasticnet'."
        )


def _warm_path(estimator, X, y, sample_weight, alphas, on_fit=None, checked=False):
    r"""Fit ``estimator`` at each of the decreasing ``alphas``, warm-started.

    ``estimator`` (a copy, changed in place) gets ``warm_start=True``, so each
    fit starts from the last solution and the optimizer's ``state`` (see
    :func:`regularization_path`). From the third ``alpha`` on, the start is
    extrapolated along the path, linearly in :math:`\log\alpha`:

    .. math::

        \theta_0 = \theta_k + r(\theta_k - \theta_{k-1}),\qquad
        r = \frac{\log(\alpha_{k+1}/\alpha_k)}{\log(\alpha_k/\alpha_{k-1})},

    when that point has the lower objective at :math:`\alpha_{k+1}` (it
    costs one pass over ``X``, and saves a third of the iterations of
    proximal gradient descent on digits, and a sixth of L-BFGS's on the folds
    of :class:`~sklinear.SoftmaxClassifierCV`). ``on_fit(estimator, k)`` is
    called after the fit at ``alphas[k]``.

    ``X``, ``y`` and ``sample_weight`` must be validated already (as
    :func:`_prepare` does): the fits skip the finiteness check of ``X``, a
    pass over it each. With ``checked``, ``X`` is (rows of) data whose
    magnitude :func:`_prepare` checked too, and the fits skip that check,
    two passes more.

    The estimator's ``_keep_scores`` is set: an optimizer that can (L-BFGS)
    keeps the scores :math:`XW + b` of each solution in its state, so that
    the next fit, and the extrapolation, start without a product. Only the
    first fit goes through ``fit``; on a float array or CSR/CSC matrix the
    others skip its validation, which would find what the first found
    (:meth:`~sklinear._base.BaseLinearClassifier._fit_validated`), unless
    the estimator has scikit-learn callbacks, which ``fit`` manages.

    Only the last fit, at the smallest ``alpha``, is checked for a model that
    learned nothing (``_check_learned``): a grid may start where the model
    is its intercept, by design, but a path that ends there says that the
    data or the grid need changing, which the warning then says.

    Returns ``(coefs, intercepts, n_iter, objectives)`` stacked over alphas.
    """
    estimator.set_params(warm_start=True)
    estimator._keep_scores = True
    coefs, intercepts, n_iter, objectives = [], [], [], []
    solutions = []  # the last two (W, b), oldest first
    problem = None  # the path's problem, for the extrapolation's objectives
    validated = None  # y and its encoding as the first fit validated them
    for k, alpha in enumerate(alphas):
        estimator.set_params(alpha=float(alpha))
        estimator._check_learned = k == len(alphas) - 1
        # Through a repeated alpha there is no line to extrapolate along.
        if (
            len(solutions) == 2
            and alphas[k - 1] < alphas[k - 2]
            and _extrapolates(estimator)
        ):
            # A Python float: a NumPy one would promote float32 parameters.
            r = float(
                np.log(alphas[k] / alphas[k - 1])
                / np.log(alphas[k - 1] / alphas[k - 2])
            )
            if problem is None:
                labels, encoded = validated
                problem = estimator._make_problem(
                    X, encoded, estimator._sample_weight(sample_weight, X, labels)
                )
            _start_from_prediction(
                estimator,
                solutions,
                r,
                problem.replace(alpha=float(alpha)),
                alphas[k - 1],
            )
        # scikit-learn's callbacks are set up and torn down around fit.
        callbacks = getattr(estimator, "_skl_callbacks", None)
        if validated is not None and _as_validated(X) and not callbacks:
            with config_context(assume_finite=True):
                estimator._fit_validated(X, *validated, sample_weight)
        else:
            token = CHECKED_MAGNITUDE.set(checked)
            try:
                with config_context(assume_finite=True):
                    estimator.fit(X, y, sample_weight=sample_weight)
            finally:
                CHECKED_MAGNITUDE.reset(token)
            # y as the fit validated it (the CLI passes a pandas Series).
            labels = column_or_1d(y)
            validated = labels, estimator._encode(labels)
        state = estimator._optimizer_state.get(estimator.optimizer_)
        if isinstance(state, dict) and "feature_scales" in state:
            # Every fit of the path sees the same data: what the optimizer
            # keeps of the data alone (lbfgs: the feature scales, and the
            # scores of its solution) holds.
            state["same_data"] = True
        scores = state.get("scores") if isinstance(state, dict) else None
        solution = (estimator._W.copy(), estimator._b.copy())
        solutions = [*solutions[-1:], (*solution, _scores_of(scores, solution))]
        coefs.append(estimator.coef_)
        intercepts.append(estimator.intercept_)
        n_iter.append(estimator.n_iter_)
        objectives.append(estimator.objective_)
        if on_fit is not None:
            on_fit(estimator, k)
    return np.stack(coefs), np.stack(intercepts), np.array(n_iter), np.array(objectives)


def _as_validated(X):
    """Whether ``fit``'s validation returns ``X`` itself, as it is: a float
    array, or a CSR or CSC matrix (others it converts, or names features)."""
    if sp.issparse(X):
        return X.format in ("csr", "csc") and X.dtype in (np.float32, np.float64)
    return isinstance(X, np.ndarray) and X.dtype in (np.float32, np.float64)


def _extrapolates(estimator):
    """Whether a predicted start can help: an optimizer that starts from
    ``x0`` (the dual solver starts from its dual variables instead)."""
    from .optimizers import OPTIMIZERS

    name = estimator.optimizer_
    return OPTIMIZERS[name].warm_start and name != "dual_cd"


def _scores_of(kept, solution):
    """``(S, carried)``, the scores of ``solution`` and the steps they were
    carried since computed exactly, from an optimizer's ``kept``
    ``(theta, S, carried)``, or None if they belong to another point."""
    if kept is None:
        return None
    theta, scores, carried = kept
    W, b = solution
    if theta.size not in (W.size, W.size + b.size):
        return None
    same = np.array_equal(theta[: W.size], W.ravel()) and (
        theta.size == W.size or np.array_equal(theta[W.size :], b)
    )
    return (scores, carried) if same else None


def _start_from_prediction(estimator, solutions, r, problem, previous_alpha):
    """Set the next warm start to the point extrapolated from the last two
    ``solutions`` if it has the lower objective on ``problem`` (the path's, at
    the estimator's new ``alpha``; the last fit was at ``previous_alpha``).

    The last solution's objective at the new ``alpha`` is its
    ``objective_`` with the penalty reweighted, since only the penalty
    depends on ``alpha``. The predicted point's costs a pass over ``X``,
    unless the optimizer kept the scores of both solutions (L-BFGS does on a
    path): scores are affine in the parameters, so the prediction's are the
    same combination of theirs; the next fit is then handed them too, and
    starts with no product. (Through ``estimator.objective`` each point also
    validated ``X`` again, which on a 60k x 256 set cost more than the
    product itself.)
    """
    kept = estimator._W, estimator._b
    (W_old, b_old, scores_old), (*_, scores) = solutions
    predicted = (kept[0] + r * (kept[0] - W_old), kept[1] + r * (kept[1] - b_old))
    theta = problem.pack(*predicted)
    known = None
    if scores is not None and scores_old is not None:
        known = scores[0] + r * (scores[0] - scores_old[0])
        # One more rounding on the older of the two.
        carried = max(scores[1], scores_old[1]) + 1
    penalty = float(problem.penalty.value(kept[0]))
    current = estimator.objective_ + (problem.alpha - previous_alpha) * penalty
    if LinearObjective(problem).value(theta, scores=known) < current:
        estimator._W, estimator._b = predicted
        state = estimator._optimizer_state.get(estimator.optimizer_)
        if known is not None:
            state["scores"] = (theta, known, carried)


def regularization_path(
    X, y, *, estimator=None, alphas=10, eps=None, sample_weight=None, **params
):
    r"""Solutions for a decreasing sequence of ``alpha``, each started from the last.

    For each :math:`\alpha` of the grid, from the largest, it minimizes

    .. math::

        L(W, b) = \frac{\sum_i w_i L_i}{\sum_i w_i} + \alpha R(W)

    with the estimator's loss, penalty and optimizer, starting from the
    solution at the previous :math:`\alpha` (``warm_start=True``), and from
    the third :math:`\alpha` on from the line through the last two
    solutions, extrapolated in :math:`\log\alpha`, if that start has the
    lower objective. Neighbouring solutions are close, so each fit takes a
    fraction of the iterations of a fit from zero. What each optimizer
    carries from one :math:`\alpha` to the next:

    * ``"lbfgs"``: its memory of curvature pairs :math:`(s, y)`, each
      :math:`y` corrected for the new :math:`\alpha` (the ``"l2"`` penalty
      adds exactly :math:`2\alpha s_W`). Its first step is then nearly a
      Newton step. The feature scales of its stopping rule and the scores
      of the start, which are those of the last solution or, for the
      extrapolated start, the same combination of the last two solutions'
      scores, cost no product with ``X``; each fit ends on the scores it
      carried, computed afresh every ``REFRESH`` steps counted along the
      path, and reports its objective on them.
    * ``"gd"`` (accelerated proximal): its step size :math:`1/L`; with an
      L1 part, the zeros of the start are its active set, which the
      proximal steps keep unless their gradient exceeds the new threshold.
      The momentum restarts.
    * ``"dual_cd"``: its dual variables, as they are when the box bounds
      :math:`C_i \propto 1/\alpha` grow (so ``W`` is the last solution),
      scaled down to them when they shrink (it ignores the primal start).
    * ``"sgd"``: its step counter, step size, momentum and average.
    * ``"random_local_search"``: the start only; ``"random_search"``
      cannot continue, and fits every :math:`\alpha` from scratch.

    Neither ``"lbfgs"`` nor ``"gd"`` carries the smoothing of a hinge loss:
    at a new :math:`\alpha` it climbs its ladder again from the top, and
    such a path costs about what cold fits cost (see the user guide).

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training data.
    y : array-like of shape (n_samples,)
        Target labels.
    estimator : SVMClassifier or SoftmaxClassifier, default=None
        The classifier to fit along the path (it is copied, not changed);
        its ``alpha`` and ``warm_start`` are ignored. None for a
        :class:`SoftmaxClassifier` (an :class:`SVMClassifier` if ``params``
        names another ``loss``).
    alphas : int or array-like of float, default=10
        The values of ``alpha``, fitted in decreasing order; or their
        number, log-spaced from the start of the default grid down to
        ``eps`` times it. The default grid starts at :func:`alpha_max` for
        a penalty with an L1 part, and for ``"l2"`` at
        :math:`10^3 \max_{jk} |G_{jk}|`, :math:`G` the gradient of the data
        loss at :math:`W = 0` (see :func:`alpha_max`): there the solution,
        about :math:`-G / (2\alpha)`, has weights below ``5e-4``, the
        intercept alone (glmnet's rule for ridge paths).
    eps : float, default=None
        Ratio of the last to the first ``alpha`` of a grid given by its
        number: ``1e-4`` with an L1 part and ``1e-8`` for ``"l2"`` when
        None.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights, as in ``fit``.
    **params : dict
        Hyperparameters set on (a copy of) ``estimator``, e.g.
        ``penalty="l1"`` or ``tol=1e-6``.

    Returns
    -------
    path : :class:`~sklearn.utils.Bunch`
        With fields

        alphas : ndarray of shape (n_alphas,)
            The values of ``alpha``, decreasing.
        coefs : ndarray of shape (n_alphas, n_rows, n_features)
            ``coef_`` at each ``alpha``; ``n_rows`` is 1 for two classes,
            else the number of classes, as in ``coef_``.
        intercepts : ndarray of shape (n_alphas, n_rows)
            ``intercept_`` at each ``alpha``.
        n_iter : ndarray of shape (n_alphas,)
            Iterations of the optimizer at each ``alpha``.
        objectives : ndarray of shape (n_alphas,)
            The objective :math:`L(W, b)` reached at each ``alpha``.
        classes : ndarray of shape (n_classes,)
            The classes, as ``classes_``.

    Raises
    ------
    ValueError
        For ``penalty=None`` (there is no ``alpha`` to vary), and for
        ``alphas`` not positive.

    See Also
    --------
    alpha_max : Where the path of an L1 penalty starts.
    SoftmaxClassifierCV, SVMClassifierCV : Choose ``alpha`` by
        cross-validation, with one path per fold.
    sklearn.linear_model.lasso_path : The same for the lasso.

    Notes
    -----
    The fits are the estimator's own, with a :class:`ConvergenceWarning` for
    any that stops at ``max_iter``, and its ``verbose`` output and callbacks.
    The warning of a single fit whose model predicts no better than a
    constant is given for the last fit alone: the default grid starts where
    the weights are nearly zero, on purpose.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklinear import regularization_path
    >>> X, y = load_iris(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> path = regularization_path(X, y, penalty="l1", alphas=5)
    >>> path.coefs.shape
    (5, 3, 4)
    >>> (path.coefs != 0).sum(axis=(1, 2))  # from W = 0 at alpha_max
    array([0, 4, 7, 7, 7])
    """
    estimator = _path_estimator(estimator, params)
    _check_path_estimator(estimator)
    scratch = clone(estimator)
    X, y, _, problem = _prepare(scratch, X, y, sample_weight)
    grid = _alpha_grid(estimator, problem, alphas, eps)
    coefs, intercepts, n_iter, objectives = _warm_path(
        estimator, X, y, sample_weight, grid, checked=True
    )
    return Bunch(
        alphas=grid,
        coefs=coefs,
        intercepts=intercepts,
        n_iter=n_iter,
        objectives=objectives,
        classes=estimator.classes_,
    )
