r"""Cross-validated classifiers: ``alpha`` (and ``l1_ratio``) chosen on held-out folds.

Each fold runs one warm regularization path (:func:`~sklinear._path._warm_path`)
over the whole grid of ``alpha`` on its training part and scores every
solution on its held-out part; the folds run in parallel with joblib. The
``alpha`` of the best mean score is then refitted on all the data by the
base classifier.
"""

import warnings
from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.linear_model._base import LinearClassifierMixin, SparseCoefMixin
from sklearn.metrics import check_scoring
from sklearn.model_selection import check_cv
from sklearn.utils import Bunch
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.validation import _check_method_params, _check_sample_weight

from ._base import BaseLinearClassifier, CallbackSupportMixin
from ._classes import SoftmaxClassifier, SVMClassifier
from ._path import (
    _alpha_grid,
    _check_path_estimator,
    _prepare,
    _warm_path,
)

__all__ = ["SVMClassifierCV", "SoftmaxClassifierCV"]

#: Hyperparameters of the CV classes that are not the base classifier's.
_CV_PARAMS = ("alphas", "l1_ratios", "eps", "cv", "scoring", "refit", "n_jobs")


class _BaseClassifierCV(
    CallbackSupportMixin, LinearClassifierMixin, SparseCoefMixin, BaseEstimator
):
    """Shared fitting of :class:`SoftmaxClassifierCV` and :class:`SVMClassifierCV`.

    Subclasses set ``_classifier``, the base classifier class.
    """

    _classifier = None

    _parameter_constraints: dict = {
        **{
            key: value
            for key, value in BaseLinearClassifier._parameter_constraints.items()
            if key not in ("alpha", "l1_ratio", "warm_start")
        },
        "alphas": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "l1_ratios": ["array-like", None],
        "eps": [Interval(Real, 0, 1, closed="right"), None],
        "cv": ["cv_object", HasMethods("split")],
        "scoring": [str, callable, None],
        "refit": ["boolean"],
        "n_jobs": [Integral, None],
    }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    # The base class's attributes that describe the refitted model.
    _REFIT_ATTRIBUTES = (
        "coef_",
        "intercept_",
        "objective_",
        "optimizer_",
        "loss_curve_",
    )

    def _base_estimator(self, l1_ratio, class_weight=None):
        """The base classifier with this estimator's settings, ``l1_ratio``
        and, if given, ``class_weight``."""
        params = {
            key: value
            for key, value in self.get_params(deep=False).items()
            if key not in _CV_PARAMS
        }
        if l1_ratio is not None:
            params["l1_ratio"] = l1_ratio
        if class_weight is not None:
            params["class_weight"] = class_weight
        return self._classifier(**params)

    def _l1_ratio_grid(self):
        """The ``l1_ratios`` to search: None (the base default) unless elastic net."""
        if self.l1_ratios is None:
            return [None]
        if self.penalty != "elasticnet":
            warnings.warn(
                f"l1_ratios is only used with penalty='elasticnet'; with "
                f"penalty={self.penalty!r} it is ignored.",
                UserWarning,
                stacklevel=4,  # _l1_ratio_grid, fit, sklearn's _fit_context wrapper
            )
            return [None]
        l1_ratios = np.asarray(self.l1_ratios, dtype=np.float64)
        if (
            l1_ratios.ndim != 1
            or l1_ratios.size == 0
            or not (((l1_ratios >= 0) & (l1_ratios <= 1)).all())
        ):
            raise ValueError(
                "l1_ratios must be a non-empty 1-D sequence of numbers in [0, 1]; "
                f"got {self.l1_ratios!r}."
            )
        return [float(r) for r in l1_ratios]

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **params):
        """Choose ``alpha`` by cross-validation, then refit on all the data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Target labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights for every fit, and, as scikit-learn's
            ``LogisticRegressionCV`` does, for the scorer when metadata
            routing is off.
        **params : dict
            With metadata routing enabled, metadata for the splitter (e.g.
            ``groups``) and the scorer.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        if _routing_enabled():
            routed = process_routing(self, "fit", sample_weight=sample_weight, **params)
        else:
            _raise_for_params(params, self, "fit")
            score = {} if sample_weight is None else {"sample_weight": sample_weight}
            routed = Bunch(splitter=Bunch(split={}), scorer=Bunch(score=score))
        l1_ratios = self._l1_ratio_grid()
        # Validate once, as the base classifier would, for the grids and folds.
        scratch = self._base_estimator(l1_ratios[0])
        _check_path_estimator(scratch)
        X, y, _, _ = _prepare(scratch, X, y, sample_weight)
        self.classes_ = scratch.classes_
        self.n_features_in_ = scratch.n_features_in_
        if hasattr(scratch, "feature_names_in_"):
            self.feature_names_in_ = scratch.feature_names_in_
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        class_weight = None
        if self.class_weight == "balanced":
            # Weights of the whole data, as LogisticRegressionCV: balanced
            # per fold, every fold would fit a slightly different problem.
            weights = compute_class_weight("balanced", classes=self.classes_, y=y)
            class_weight = dict(zip(self.classes_, weights, strict=True))
        grids = []
        for l1_ratio in l1_ratios:
            base = self._base_estimator(l1_ratio, class_weight)
            # Only a grid given by its size starts from the data.
            problem = (
                _prepare(clone(base), X, y, sample_weight)[3]
                if isinstance(self.alphas, Integral)
                else None
            )
            grids.append(_alpha_grid(base, problem, self.alphas, self.eps))
        cv = check_cv(self.cv, y, classifier=True)
        folds = list(cv.split(X, y, **routed.splitter.split))
        _check_every_class_in_training(folds, y, self.classes_)
        scorer = check_scoring(scratch, scoring=self.scoring)
        jobs = [
            delayed(_fold_path)(
                self._base_estimator(l1_ratio, class_weight),
                X,
                y,
                sample_weight,
                train,
                test,
                grid,
                scorer,
                routed.scorer.score,
                accuracy=self.scoring in (None, "accuracy"),
            )
            for l1_ratio, grid in zip(l1_ratios, grids, strict=True)
            for train, test in folds
        ]
        results = Parallel(n_jobs=self.n_jobs, verbose=self.verbose)(jobs)
        shape = (len(l1_ratios), len(folds))
        scores = np.array([r.scores for r in results]).reshape(*shape, -1)
        n_iter = np.array([r.n_iter for r in results]).reshape(*shape, -1)
        coefs = np.array([r.coefs for r in results])
        coefs = coefs.reshape(*shape, *coefs.shape[1:])
        intercepts = np.array([r.intercepts for r in results])
        intercepts = intercepts.reshape(*shape, *intercepts.shape[1:])

        # Best mean score; argmax takes the first of equal means, and the
        # grids decrease, so ties go to the larger alpha: the simpler model.
        mean = scores.mean(axis=1)
        best_ratio, best_alpha = np.unravel_index(np.argmax(mean), mean.shape)
        self.alpha_ = float(grids[best_ratio][best_alpha])
        self.l1_ratio_ = l1_ratios[best_ratio]
        if self.l1_ratio_ is None:
            self.l1_ratio_ = (
                float(self.l1_ratio) if self.penalty == "elasticnet" else None
            )
        squeeze = len(l1_ratios) == 1
        self.alphas_ = grids[0] if squeeze else np.array(grids)
        self.l1_ratios_ = None if l1_ratios == [None] else np.array(l1_ratios)
        self.scores_ = scores[0] if squeeze else scores
        self.n_iter_ = n_iter[0] if squeeze else n_iter
        self.coefs_paths_ = coefs[0] if squeeze else coefs
        self.intercepts_paths_ = intercepts[0] if squeeze else intercepts

        if self.refit:
            best = self._base_estimator(l1_ratios[best_ratio], class_weight)
            best.set_params(alpha=self.alpha_)
            if getattr(self, "_skl_callbacks", None):
                best.set_callbacks(*self._skl_callbacks)
            best.fit(X, y, sample_weight=sample_weight)
            self.best_estimator_ = best
            for name in (*self._REFIT_ATTRIBUTES, "dual_gap_"):
                if hasattr(best, name):
                    setattr(self, name, getattr(best, name))
        else:
            # As LogisticRegressionCV: the mean of the folds' models there.
            self.coef_ = coefs[best_ratio, :, best_alpha].mean(axis=0)
            self.intercept_ = intercepts[best_ratio, :, best_alpha].mean(axis=0)
        return self

    def get_metadata_routing(self):
        """Get the metadata routing of this object.

        ``sample_weight`` is consumed by ``fit``; ``fit`` routes metadata to
        the splitter's ``split`` (e.g. ``groups``) and the scorer.

        Returns
        -------
        routing : MetadataRouter
            The routing information.
        """
        return (
            MetadataRouter(owner=self)
            .add_self_request(self)
            .add(
                splitter=check_cv(self.cv),
                method_mapping=MethodMapping().add(caller="fit", callee="split"),
            )
            .add(
                scorer=check_scoring(
                    self._classifier(), scoring=self.scoring, allow_none=False
                ),
                method_mapping=MethodMapping().add(caller="fit", callee="score"),
            )
        )


def _check_every_class_in_training(folds, y, classes):
    """Raise, before any fit, unless every training fold holds every class.

    A fold without a class would fit fewer classes, whose coefficients
    cannot be stacked with the other folds' (scikit-learn's CV classes
    refuse such folds too).
    """
    for i, (train, _) in enumerate(folds):
        missing = np.setdiff1d(classes, y[train])
        if missing.size:
            counts = [int(np.count_nonzero(y == label)) for label in missing]
            raise ValueError(
                f"Training fold {i} has no sample of class {missing.tolist()!r} "
                f"({counts} in y): every training fold must contain every "
                "class. A stratified splitter (an int cv is one) keeps a class "
                "with at least as many samples as folds in every training fold."
            )


def _fold_path(
    estimator,
    X,
    y,
    sample_weight,
    train,
    test,
    alphas,
    scorer,
    score_params,
    accuracy=False,
):
    """One fold: the warm path on ``train``, each solution scored on ``test``.

    ``accuracy`` says that ``scorer`` is the accuracy (``scoring`` None or
    ``"accuracy"``): with no score parameter but ``sample_weight``, the whole
    path is then scored after it, with one product, as the scorer would
    score each model (its validation and checks cost more than the
    prediction on a small test fold).
    """
    weights = None if sample_weight is None else sample_weight[train]
    test_params = _check_method_params(X, params=score_params, indices=test)
    X_test, y_test = X[test], y[test]
    scores = np.empty(len(alphas))
    batched = accuracy and set(test_params) <= {"sample_weight"}

    def score(fitted, k):
        scores[k] = scorer(fitted, X_test, y_test, **test_params)

    coefs, intercepts, n_iter, _ = _warm_path(
        estimator,
        X[train],
        y[train],
        weights,
        alphas,
        on_fit=None if batched else score,
        checked=True,  # rows of the data fit validated
    )
    if batched:
        scores = _path_accuracies(
            coefs,
            intercepts,
            estimator.classes_,
            X_test,
            y_test,
            test_params.get("sample_weight"),
        )
    return Bunch(scores=scores, n_iter=n_iter, coefs=coefs, intercepts=intercepts)


def _path_accuracies(coefs, intercepts, classes, X, y, sample_weight=None):
    """The accuracy on ``(X, y)`` of each model of a path, with one product.

    Each model predicts as ``LinearClassifierMixin.predict`` does (the sign
    of a single decision, else the top one) and is scored as
    ``accuracy_score`` scores (``np.average`` of the hits, one model at a
    time, so that equal accuracies stay equal to the last bit: the choice
    of ``alpha`` breaks ties by them).

    Parameters
    ----------
    coefs : ndarray of shape (n_alphas, n_rows, n_features)
        ``coef_`` of each model.
    intercepts : ndarray of shape (n_alphas, n_rows)
        ``intercept_`` of each model.
    classes : ndarray of shape (n_classes,)
        The labels the models predict.
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Test data.
    y : ndarray of shape (n_samples,)
        Its labels.
    sample_weight : ndarray of shape (n_samples,), default=None
        Weights of the test samples.

    Returns
    -------
    scores : ndarray of shape (n_alphas,)
    """
    n_alphas, n_rows, n_features = coefs.shape
    decisions = X @ coefs.reshape(-1, n_features).T
    decisions = np.asarray(decisions).reshape(-1, n_alphas, n_rows) + intercepts
    if n_rows == 1:
        indices = (decisions[..., 0] > 0).astype(np.intp)
    else:
        indices = decisions.argmax(axis=2)
    hits = np.ascontiguousarray((classes[indices] == y[:, np.newaxis]).T)
    return np.array([np.average(row, weights=sample_weight) for row in hits])


def _shared_parameters(skip=("alpha", "l1_ratio", "warm_start")):
    """The base classifiers' parameter docs without those of ``skip``."""
    from ._docstrings import SHARED_PARAMETERS

    entries, current = [], None
    for line in SHARED_PARAMETERS.strip("\n").split("\n"):
        if line.startswith("    ") and not line.startswith("     "):
            current = [line]
            entries.append(current)
        else:
            current.append(line)
    kept = [e for e in entries if e[0].split(" : ")[0].strip() not in skip]
    return "\n".join("\n".join(e) for e in kept)[4:]


CV_PARAMETERS = r"""alphas : int or array-like of float, default=10
        The values of ``alpha`` to try; an int asks for that many, log-spaced
        from the data-scaled start of :func:`regularization_path` (at
        :func:`alpha_max` with an L1 part) down to ``eps`` times it.
    l1_ratios : array-like of float, default=None
        With ``penalty="elasticnet"``, the ``l1_ratio`` values to try, each
        with its own grid of ``alpha``; None tries ``l1_ratio`` alone.
        Ignored, with a warning, for the other penalties.
    eps : float, default=None
        Ratio of the smallest ``alpha`` of a grid given by its number to the
        largest: ``1e-4`` with an L1 part, ``1e-8`` for ``"l2"`` when None.
    cv : int, cross-validation generator or iterable, default=None
        The folds, as in :func:`~sklearn.model_selection.check_cv`: None for
        5-fold, an int for that many, stratified. Every training fold must
        contain every class (``fit`` raises a ValueError before fitting
        otherwise), so that all folds fit the same classes.
    scoring : str or callable, default=None
        The score of each ``alpha`` on a held-out fold
        (:func:`~sklearn.metrics.check_scoring`); None for accuracy.
    refit : bool, default=True
        Whether to refit the base classifier on all the data at the chosen
        ``alpha`` (and ``l1_ratio``). If False, the model is the mean of the
        folds' models there, as in ``LogisticRegressionCV``.
    n_jobs : int, default=None
        Folds (times ``l1_ratios``) fitted in parallel by
        :class:`joblib.Parallel`; None is 1 unless in a joblib context.
    """

CV_ATTRIBUTES = r"""alpha_ : float
        The chosen ``alpha``: the best mean score over the folds; of equal
        means, the largest ``alpha`` (the simpler model), as
        ``LogisticRegressionCV`` takes the smallest ``C``.
    l1_ratio_ : float or None
        The chosen ``l1_ratio`` (elastic net; of equal scores, the first in
        ``l1_ratios``), else None.
    alphas_ : ndarray of shape (n_alphas,) or (n_l1_ratios, n_alphas)
        The grid(s) of ``alpha``, decreasing.
    l1_ratios_ : ndarray of shape (n_l1_ratios,) or None
        The ``l1_ratios`` tried.
    scores_ : ndarray of shape (n_folds, n_alphas) or (n_l1_ratios, n_folds, n_alphas)
        The score of each fold at each ``alpha``.
    coefs_paths_ : ndarray of shape (n_folds, n_alphas, n_rows, n_features)
        Each fold's ``coef_`` at each ``alpha`` (``n_rows`` as in
        ``coef_``); with ``l1_ratios``, a leading axis of them.
    intercepts_paths_ : ndarray of shape (n_folds, n_alphas, n_rows)
        The same for ``intercept_``.
    n_iter_ : ndarray of shape (n_folds, n_alphas)
        The optimizer's iterations along each fold's warm path; with
        ``l1_ratios``, a leading axis of them. The refit's are
        ``best_estimator_.n_iter_``.
    best_estimator_ : SVMClassifier or SoftmaxClassifier
        The base classifier refitted at ``alpha_`` (only with ``refit``).
    coef_ : ndarray of shape (1 or n_classes, n_features)
        The refitted model's weights (see the base classifier).
    intercept_ : ndarray of shape (1,) or (n_classes,)
        The refitted model's intercept.
    objective_ : float
        The refitted model's objective (only with ``refit``).
    optimizer_ : str
        The refit's optimizer (only with ``refit``).
    loss_curve_ : ndarray
        The refit's objective after each iteration (only with ``refit``).
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen during ``fit``, if strings.
    """

CV_DESCRIPTION = r"""
    For every ``alpha`` of a decreasing grid it minimizes

    .. math::

        L(W, b) = \frac{\sum_i w_i L_i}{\sum_i w_i} + \alpha R(W)

    on the training part of each fold, as one warm-started
    :func:`regularization_path` (each ``alpha`` starts from the last
    solution and optimizer state), and scores every solution on the held-out
    part. The ``alpha`` with the best mean score over the folds is refitted
    on all the data by the base classifier, whose attributes and methods
    the fitted estimator then has. The folds run in parallel with
    ``n_jobs``. ``verbose`` is passed to every fit; callbacks set with
    ``set_callbacks`` see the final refit (the folds' paths run without
    them).

    Read more in the :ref:`User Guide <choosing_alpha>`."""


def _fill_cv_docstring(cls, tol, max_iter):
    cls.__doc__ = (
        cls.__doc__.replace("{description}", CV_DESCRIPTION)
        .replace("{cv_parameters}", CV_PARAMETERS.rstrip())
        .replace("{parameters}", _shared_parameters())
        .replace("{attributes}", CV_ATTRIBUTES.rstrip())
        .replace("{tol}", tol)
        .replace("{max_iter}", max_iter)
    )


class SoftmaxClassifierCV(_BaseClassifierCV):
    r"""Softmax classifier with ``alpha`` chosen by cross-validation.
    {description}

    Parameters
    ----------
    loss : {"cross_entropy"}, default="cross_entropy"
        The softmax cross-entropy loss (the only one).
    {cv_parameters}
    {parameters}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    SoftmaxClassifier : The classifier at one ``alpha``.
    regularization_path : The solutions along the grid.
    sklearn.linear_model.LogisticRegressionCV : The same search over ``C``,
        which is ``1 / (2 n alpha)`` for ``n`` training samples.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklinear import SoftmaxClassifierCV
    >>> X, y = load_iris(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> clf = SoftmaxClassifierCV(alphas=[1e-1, 1e-2, 1e-3], cv=3).fit(X, y)
    >>> clf.alpha_, clf.scores_.shape
    (0.001, (3, 3))
    """

    _classifier = SoftmaxClassifier
    _parameter_constraints: dict = {
        **_BaseClassifierCV._parameter_constraints,
        "loss": SoftmaxClassifier._parameter_constraints["loss"],
    }

    def __init__(
        self,
        loss="cross_entropy",
        *,
        alphas=10,
        l1_ratios=None,
        eps=None,
        cv=None,
        scoring=None,
        refit=True,
        n_jobs=None,
        penalty="l2",
        l1_ratio=0.15,
        fit_intercept=True,
        class_weight=None,
        optimizer="auto",
        learning_rate="auto",
        max_iter=1000,
        tol=1e-4,
        random_state=None,
        verbose=0,
        n_candidates=1000,
        init_scale=1e-4,
        step_size=1e-2,
        batch_size=256,
        schedule="adaptive",
        power_t=0.5,
        momentum=0.0,
        nesterov=False,
        average=False,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=5,
    ):
        self.loss = loss
        self.alphas = alphas
        self.l1_ratios = l1_ratios
        self.eps = eps
        self.cv = cv
        self.scoring = scoring
        self.refit = refit
        self.n_jobs = n_jobs
        self.penalty = penalty
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.verbose = verbose
        self.n_candidates = n_candidates
        self.init_scale = init_scale
        self.step_size = step_size
        self.batch_size = batch_size
        self.schedule = schedule
        self.power_t = power_t
        self.momentum = momentum
        self.nesterov = nesterov
        self.average = average
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change

    def predict_log_proba(self, X):
        """Log of the softmax probabilities of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log P(Y = k | x)``, columns in the order of ``classes_``.
        """
        return SoftmaxClassifier.predict_log_proba(self, X)

    def predict_proba(self, X):
        """Softmax probabilities of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            ``P(Y = k | x)``, columns in the order of ``classes_``.
        """
        return np.exp(self.predict_log_proba(X))


class SVMClassifierCV(_BaseClassifierCV):
    r"""Multiclass linear SVM with ``alpha`` chosen by cross-validation.
    {description}

    Parameters
    ----------
    loss : {"hinge", "squared_hinge", "crammer_singer"}, default="hinge"
        The multiclass hinge loss, as in :class:`SVMClassifier`.
    margin : float, default=1.0
        The margin :math:`\Delta > 0`.
    {cv_parameters}
    {parameters}

    Attributes
    ----------
    {attributes}
    dual_gap_ : float
        The refit's relative duality gap, with ``optimizer="dual_cd"``.

    See Also
    --------
    SVMClassifier : The classifier at one ``alpha``.
    regularization_path : The solutions along the grid.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklinear import SVMClassifierCV
    >>> X, y = load_iris(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> clf = SVMClassifierCV(alphas=[1e-1, 1e-2, 1e-3], cv=3, random_state=0)
    >>> clf.fit(X, y).alphas_
    array([0.1  , 0.01 , 0.001])
    """

    _classifier = SVMClassifier
    _parameter_constraints: dict = {
        **_BaseClassifierCV._parameter_constraints,
        "loss": SVMClassifier._parameter_constraints["loss"],
        "margin": SVMClassifier._parameter_constraints["margin"],
    }

    def __init__(
        self,
        loss="hinge",
        *,
        margin=1.0,
        alphas=10,
        l1_ratios=None,
        eps=None,
        cv=None,
        scoring=None,
        refit=True,
        n_jobs=None,
        penalty="l2",
        l1_ratio=0.15,
        fit_intercept=True,
        class_weight=None,
        optimizer="auto",
        learning_rate="auto",
        max_iter=5000,
        tol=1e-4,
        random_state=None,
        verbose=0,
        n_candidates=1000,
        init_scale=1e-4,
        step_size=1e-2,
        batch_size=256,
        schedule="adaptive",
        power_t=0.5,
        momentum=0.0,
        nesterov=False,
        average=False,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=5,
    ):
        self.loss = loss
        self.margin = margin
        self.alphas = alphas
        self.l1_ratios = l1_ratios
        self.eps = eps
        self.cv = cv
        self.scoring = scoring
        self.refit = refit
        self.n_jobs = n_jobs
        self.penalty = penalty
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.verbose = verbose
        self.n_candidates = n_candidates
        self.init_scale = init_scale
        self.step_size = step_size
        self.batch_size = batch_size
        self.schedule = schedule
        self.power_t = power_t
        self.momentum = momentum
        self.nesterov = nesterov
        self.average = average
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change


_fill_cv_docstring(SVMClassifierCV, "1e-4", "5000")
_fill_cv_docstring(SoftmaxClassifierCV, "1e-4", "1000")
