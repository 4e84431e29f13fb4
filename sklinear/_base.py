"""The estimator layer shared by both classifiers.

It validates data and hyperparameters, describes the problem with
:func:`~sklinear.problem.make_problem`, checks it against the chosen
optimizer's entry in :data:`~sklinear.optimizers.OPTIMIZERS`, hands the
problem's evaluator to that optimizer, and turns the
:class:`~scipy.optimize.OptimizeResult` into fitted attributes. How a step is
taken is the optimizer's business.
"""

import contextvars
import functools
import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model._base import LinearClassifierMixin, SparseCoefMixin
from sklearn.utils import compute_sample_weight
from sklearn.utils._available_if import available_if
from sklearn.utils._encode import _encode as _encode_labels
from sklearn.utils._missing import is_pandas_na, is_scalar_nan
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import (
    _check_partial_fit_first_call,
    check_classification_targets,
)
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

try:  # scikit-learn >= 1.9: set_callbacks, ProgressBar, ScoringMonitor
    from sklearn.callback import CallbackSupportMixin
except ImportError:  # older versions fit the same, without callbacks

    class CallbackSupportMixin:
        """Stand-in for scikit-learn < 1.9, which has no callback API."""


from ._reporting import IterationReporter, coef_intercept
from ._settings import optimizer_settings
from ._splitting import check_validation_fraction
from .objective import LinearObjective
from .optimizers import OPTIMIZERS, SCHEDULES
from .penalties import make_penalty
from .problem import make_problem


class BaseLinearClassifier(
    CallbackSupportMixin, LinearClassifierMixin, SparseCoefMixin, BaseEstimator
):
    """Shared machinery of :class:`SVMClassifier` and :class:`SoftmaxClassifier`.

    Subclasses declare their losses in ``_parameter_constraints`` and their
    hyperparameters in ``__init__``; everything else lives here.
    """

    _parameter_constraints: dict = {
        "penalty": [StrOptions({"l2", "l1", "elasticnet"}), None],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "class_weight": [StrOptions({"balanced"}), dict, None],
        "optimizer": [StrOptions({"auto", *OPTIMIZERS})],
        "learning_rate": [
            StrOptions({"auto"}),
            Interval(Real, 0, None, closed="neither"),
        ],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "n_candidates": [Interval(Integral, 1, None, closed="left")],
        "init_scale": [Interval(Real, 0, None, closed="neither")],
        "step_size": [Interval(Real, 0, None, closed="neither")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "schedule": [StrOptions(set(SCHEDULES))],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "momentum": [Interval(Real, 0, 1, closed="left")],
        "nesterov": ["boolean"],
        "average": ["boolean", Interval(Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
    }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        # The lecture's baselines (random searches) fit poorly, by design.
        spec = OPTIMIZERS.get(self.optimizer)
        tags.classifier_tags.poor_score = spec is not None and spec.baseline
        return tags

    # -- fitting -----------------------------------------------------------

    def _select_optimizer(self):
        """Name of the optimizer used by ``fit``: ``"auto"`` is dual coordinate
        descent for an SVM loss with ``"l2"`` and ``alpha > 0``, else L-BFGS
        for a differentiable penalty and proximal gradient descent for an L1
        part."""
        if self.optimizer != "auto":
            return self.optimizer
        penalty = make_penalty(self.penalty, self.l1_ratio)
        if penalty.has_l1:
            return "gd"
        if OPTIMIZERS["dual_cd"].refuses(self.loss, penalty.name, self.alpha) is None:
            return "dual_cd"
        return "lbfgs"

    def _optimizer_settings(self, name, warm):
        """The settings for optimizer ``name``; see :func:`optimizer_settings`.

        An estimator whose ``_keep_scores`` is set (by a regularization path,
        which hands each fit's state to the next) asks an optimizer that can
        for the scores of its result too; other fits never pay for the copy.
        """
        state = getattr(self, "_optimizer_state", {}).get(name) if warm else None
        settings = optimizer_settings(
            name, self.get_params(deep=False), _default_params(type(self)), state
        )
        if OPTIMIZERS[name].keeps_scores and getattr(self, "_keep_scores", False):
            settings["keep_scores"] = True
        return settings

    def _sample_weight(self, sample_weight, X, y):
        """Validated sample weights times the ``class_weight`` of each label.

        None when both are None: the losses then weigh samples by ``1 / n``
        directly, the same numbers as normalizing a vector of ones.
        """
        if sample_weight is None and self.class_weight is None:
            return None
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=X.dtype, ensure_non_negative=True
        )
        weights = "sample_weight"
        if self.class_weight is not None:
            _check_class_weight(self.class_weight)
            class_factor = compute_sample_weight(self.class_weight, y)
            with np.errstate(over="ignore"):  # reported below, by name
                sample_weight = sample_weight * class_factor.astype(X.dtype)
            weights = f"sample_weight times class_weight={self.class_weight!r}"
        # The losses divide by the total, in the data's dtype: an infinite
        # one would turn every weight into 0 or NaN, and the fit into NaN.
        with np.errstate(over="ignore"):
            total = sample_weight.sum()
        if not np.isfinite(sample_weight).all() or not np.isfinite(total):
            raise ValueError(
                f"The weights of the samples ({weights}) must be finite with a "
                f"finite sum in {X.dtype}, but they overflow (largest "
                f"{np.nanmax(sample_weight):.3g}, sum {total:.3g}); scale them down."
            )
        if self.class_weight is not None and not total > 0:
            raise ValueError(
                f"The sample weights times class_weight={self.class_weight!r}"
                " are zero for every sample; at least one class present in "
                "y needs a positive weight."
            )
        return sample_weight

    def _make_problem(self, X, y_encoded, sample_weight):
        _check_alpha(self.alpha, X.dtype)
        if hasattr(self, "margin"):
            _check_margin(
                self.margin, self.loss, X.shape[0], len(self.classes_), X.dtype
            )
        return make_problem(
            X,
            y_encoded,
            loss=self.loss,
            margin=getattr(self, "margin", 1.0),
            penalty=self.penalty,
            l1_ratio=self.l1_ratio,
            alpha=self.alpha,
            sample_weight=sample_weight,
            fit_intercept=self.fit_intercept,
            n_classes=len(self.classes_),
        )

    def _can_continue(self, problem):
        """Whether a previous solution exists with the shape of ``problem``."""
        return hasattr(self, "_W") and self._W.shape == (
            problem.n_features,
            problem.n_classes,
        )

    def _validate_training_data(self, X, y, reset):
        # scikit-learn's finiteness check first sums X and silences only its
        # overflow: values near the dtype's largest, of both signs, sum to
        # inf - inf and warn "invalid value", though its exact second pass
        # (which reports a NaN or inf in X) is right. _check_magnitude then
        # refuses such data by name.
        with np.errstate(invalid="ignore"):
            X, y = validate_data(
                self,
                X,
                y,
                accept_sparse=["csr", "csc"],
                dtype=[np.float64, np.float32],
                reset=reset,
            )
        _check_magnitude(X)
        return X, y

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model by minimizing the regularized objective.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. float32 data is trained in float32; anything else
            in float64. Sparse CSR and CSC matrices are used as they are.
        y : array-like of shape (n_samples,)
            Target labels (at least two distinct classes): all strings or
            all numbers, none missing.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights :math:`w_i` of the samples; all ones when
            None. Multiplied by the weights from ``class_weight``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        previous = dict(self.__dict__)
        try:
            return self._fit(X, y, sample_weight)
        except BaseException:
            # A failed refit must not leave the new classes_ or n_features_in_
            # next to the old coef_: put the previous model back.
            self.__dict__.clear()
            self.__dict__.update(previous)
            raise

    def _fit(self, X, y, sample_weight):
        X, y = self._validate_training_data(X, _check_labels(y), reset=True)
        check_classification_targets(y)
        self.classes_, y_encoded = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in "
                f"the data, but the data contains only one class: "
                f"{self.classes_[0]!r}."
            )
        return self._fit_validated(X, y, y_encoded, sample_weight)

    def _fit_validated(self, X, y, y_encoded, sample_weight):
        """The fit proper, on ``X`` and ``y`` as :meth:`fit` validated them
        (``y_encoded`` their indices in ``classes_``).

        A regularization path calls it for its fits after the first: they
        see the data the first fit validated, with a new ``alpha`` only, and
        validating it again (sklearn's checks of ``X``, of ``y``'s type and
        of the parameters) costs milliseconds a fit, a share of a short warm
        fit on small data.
        """
        result = self._minimize(
            X, y, y_encoded, sample_weight, self._select_optimizer(), self.warm_start
        )
        if not result.success:
            # A run that used its whole budget may converge with more; any
            # other stop says in its message why it stopped and what to change.
            advice = (
                " Increase max_iter or tol, or scale the data."
                if OPTIMIZERS[self.optimizer_].counts_max_iter
                and result.nit >= self.max_iter
                else ""
            )
            warnings.warn(
                f"{type(self).__name__} did not converge: optimizer "
                f"{self.optimizer_!r} stopped after {result.nit} iterations "
                f"({result.message}).{advice}",
                ConvergenceWarning,
                stacklevel=3,
            )
        elif result.get("inert"):
            warnings.warn(
                f"{type(self).__name__} learned nothing from the features: "
                f"optimizer {self.optimizer_!r} stopped after {result.nit} "
                f"iterations, {result['inert']}",
                ConvergenceWarning,
                stacklevel=3,
            )
        self.n_iter_ = result.nit
        self.loss_curve_ = result.loss_curve
        return self

    def _encode(self, y):
        """Indices of the labels ``y`` in ``classes_``; ValueError for unknown ones."""
        try:
            return _encode_labels(y, uniques=self.classes_, check_unknown=True)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                "y contains labels not seen during fit; expected labels among "
                f"{self.classes_.tolist()!r}."
            ) from exc

    def _can_partial_fit(self):
        spec = OPTIMIZERS.get(self.optimizer)
        return spec is not None and spec.partial_fit

    @available_if(_can_partial_fit)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """One epoch of ``"sgd"`` over the batch ``(X, y)``, continuing the last call.

        The model, step counter, momentum and average carry over between
        calls, and from a previous ``fit``. The stopping rule and early
        stopping do not apply (the caller decides when the stream ends), and
        neither do the step cuts of ``schedule="adaptive"``, which compare
        epochs over the same data: on a stream, and after a ``fit`` whose
        cuts shrank it, it takes the step ``fit`` (or the first call)
        started from, so the model keeps learning from new data; prefer
        ``average=True`` or ``schedule="invscaling"`` for a step that
        shrinks along the stream. An epoch that ends with this batch's
        objective above where it started is undone, with a
        ``ConvergenceWarning``; with ``learning_rate="auto"`` the next call
        then takes steps 5 times smaller. Available only with
        ``optimizer="sgd"``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A batch of training data (same number of features on every call).
        y : array-like of shape (n_samples,)
            Its labels, all among ``classes``.
        classes : array-like of shape (n_classes,), default=None
            All the classes of the stream. Required on the first call, and
            must not change after it.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples of this batch.

        Returns
        -------
        self : object
            The updated estimator.
        """
        if classes is not None:
            _check_labels(classes, "classes")
        first_call = _check_partial_fit_first_call(self, classes)
        X, y = self._validate_training_data(X, _check_labels(y), reset=first_call)
        if first_call and len(self.classes_) < 2:
            raise ValueError(
                f"classes must hold at least 2 classes, got {self.classes_.tolist()!r}."
            )
        y_encoded = self._encode(y)
        previous_curve = [] if first_call else list(getattr(self, "loss_curve_", []))
        result = self._minimize(
            X,
            y,
            y_encoded,
            sample_weight,
            self.optimizer,
            continue_previous=not first_call,
            overrides={"max_iter": 1, "early_stopping": False},
        )
        if result.get("kept_start"):
            # An epoch always ends at max_iter=1, so success says nothing
            # here; a step that made this batch's objective worse does.
            warnings.warn(
                f"{type(self).__name__}.partial_fit kept the previous model: "
                f"{result.message}.",
                ConvergenceWarning,
                stacklevel=3,  # past sklearn's _fit_context wrapper
            )
        self.n_iter_ = result.nit
        self.loss_curve_ = np.concatenate([previous_curve, result.loss_curve])
        return self

    def _minimize(
        self,
        X,
        y,
        y_encoded,
        sample_weight,
        name,
        continue_previous,
        overrides=None,
    ):
        """Run optimizer ``name`` on the problem of ``(X, y)``; set coef_ and co."""
        sample_weight = self._sample_weight(sample_weight, X, y)
        problem = self._make_problem(X, y_encoded, sample_weight)
        spec = OPTIMIZERS[name]
        unsupported = spec.unsupported(problem)
        if unsupported is not None:
            able = [n for n, s in OPTIMIZERS.items() if s.unsupported(problem) is None]
            raise ValueError(
                f"optimizer={name!r} cannot minimize loss={problem.loss.name!r} "
                f"with penalty={problem.penalty.name!r} and alpha={problem.alpha!r}: "
                f"it supports {unsupported}. "
                f"Use optimizer='auto' or one of {', '.join(map(repr, able))}."
            )
        self.optimizer_ = name
        warm = continue_previous and spec.warm_start and self._can_continue(problem)
        settings = self._optimizer_settings(name, warm)
        settings.update(overrides or {})
        if settings.get("early_stopping"):
            check_validation_fraction(
                settings["validation_fraction"], problem.n_samples, problem.n_classes
            )
        context = None
        if getattr(self, "_skl_callbacks", None):
            # Open-ended for optimizers budgeted by evaluations, not max_iter.
            max_subtasks = settings["max_iter"] if spec.counts_max_iter else None
            context = self._init_callback_context(max_subtasks=max_subtasks)
            context.call_on_fit_task_begin(estimator=self, X=X, y=y)
        if self.verbose or context is not None:
            settings["callback"] = IterationReporter(self, name, problem, context, X, y)
        if warm:
            x0 = problem.pack(self._W, self._b)
        else:
            x0 = np.zeros(problem.n_params, dtype=problem.dtype)
        objective = LinearObjective(problem)
        with objective.blas_threads(spec.chunk_size or 1, spec.own_products):
            result = spec.function(objective, x0, **settings)
        del x0  # an array of W's size, not needed past the fit
        # Not for one partial_fit step of a stream (overrides), nor for the
        # fits of a path before its last (see _warm_path).
        if overrides is None and getattr(self, "_check_learned", True):
            scores = _result_scores(result)
            value = None if scores is None else result.fun
            result["inert"] = _inert_weights(objective, result.x, scores, value)
        self._optimizer_state = {name: _kept_state(result.get("state"), self)}
        self._W, self._b = problem.unpack(result.x)
        self._b = self._b.copy()
        self.coef_, self.intercept_ = coef_intercept(self._W, self._b)
        self.objective_ = result.fun
        if "dual_gap" in result:
            self.dual_gap_ = result.dual_gap
        elif hasattr(self, "dual_gap_"):
            del self.dual_gap_  # from an earlier fit with a certificate
        if context is not None:
            context.call_on_fit_task_end(
                estimator=self,
                X=X,
                y=y,
                reconstruction_attributes={
                    "coef_": self.coef_,
                    "intercept_": self.intercept_,
                },
            )
        return result

    # -- evaluation ----------------------------------------------------------

    def objective(self, X, y, sample_weight=None):
        """The full regularized objective of the fitted parameters on ``(X, y)``.

        .. math::

            L(W, b) = \\frac{\\sum_i w_i L_i}{\\sum_i w_i} + \\alpha R(W)

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.
        y : array-like of shape (n_samples,)
            Labels, all among ``classes_``.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights; multiplied by ``class_weight`` as in ``fit``.

        Returns
        -------
        objective : float
            Data loss plus ``alpha`` times the penalty.
        """
        check_is_fitted(self)
        with np.errstate(invalid="ignore"):  # as in _validate_training_data
            X = validate_data(
                self, X, accept_sparse=["csr", "csc"], dtype=self._W.dtype, reset=False
            )
        _check_magnitude(X)
        y = column_or_1d(_check_labels(y))
        y_encoded = self._encode(y)
        sample_weight = self._sample_weight(sample_weight, X, y)
        problem = self._make_problem(X, y_encoded, sample_weight)
        return LinearObjective(problem).value(problem.pack(self._W, self._b))

    # -- sparse coefficients -----------------------------------------------

    def sparsify(self):
        """Convert ``coef_`` to a sparse matrix in CSR format.

        An L1 or elastic-net penalty leaves many weights exactly zero; a
        sparse ``coef_`` then takes less memory and storage, and
        ``decision_function``, ``predict`` (and ``predict_proba`` of
        :class:`SoftmaxClassifier`) give the same results from it. Below
        about half zeros it takes *more* memory: count them with
        ``(coef_ == 0).sum()``. ``intercept_`` stays a dense array.

        Fitting does not read ``coef_``: ``fit`` with ``warm_start=True``,
        ``partial_fit`` and :meth:`objective` use the solution kept from the
        last fit, and a new fit sets a dense ``coef_`` again.

        Returns
        -------
        self : object
            The fitted estimator, with ``coef_`` a
            :class:`scipy.sparse.csr_matrix` of shape (1, n_features) or
            (n_classes, n_features).

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If the estimator is not fitted.

        See Also
        --------
        densify : Convert ``coef_`` back to a dense array.

        Examples
        --------
        >>> from scipy import sparse
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.preprocessing import StandardScaler
        >>> from sklinear import SoftmaxClassifier
        >>> X, y = load_iris(return_X_y=True)
        >>> X = StandardScaler().fit_transform(X)
        >>> clf = SoftmaxClassifier(penalty="l1", alpha=0.05).fit(X, y)
        >>> dense_predictions = clf.predict(X)
        >>> sparse.issparse(clf.sparsify().coef_)
        True
        >>> bool((clf.predict(X) == dense_predictions).all())
        True
        """
        # scikit-learn's own conversion, with its fitted check and sparse type.
        return super().sparsify()

    def densify(self):
        """Convert ``coef_`` back to a dense array.

        Undoes :meth:`sparsify`: ``coef_`` becomes a :class:`numpy.ndarray`
        of the same values and dtype. On a dense ``coef_`` it does nothing.

        Returns
        -------
        self : object
            The fitted estimator, with ``coef_`` an ndarray of shape
            (1, n_features) or (n_classes, n_features).

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If the estimator is not fitted.

        See Also
        --------
        sparsify : Convert ``coef_`` to a sparse matrix.
        """
        return super().densify()


def _kept_state(state, estimator):
    """What of an optimizer's ``state`` the estimator keeps after a fit.

    L-BFGS's ``"memory"`` (its curvature pairs, up to ``MEMORY_BUDGET``
    bytes) and ``"scores"`` (those of the solution, one per sample and
    class, returned only to a path that asks) are kept only with
    ``warm_start=True``, the one use of them: a model fitted otherwise would
    carry, and pickle, megabytes it never reads.
    """
    bulky = ("memory", "scores")
    if state is None or estimator.warm_start or not any(k in state for k in bulky):
        return state
    return {key: value for key, value in state.items() if key not in bulky}


#: Set (by :func:`sklinear._path._warm_path`) while fitting rows of data whose
#: magnitude :func:`_check_magnitude` has passed already: the check is two
#: passes over ``X``, and a path's fits take a few products each.
CHECKED_MAGNITUDE = contextvars.ContextVar("checked_magnitude", default=False)


def _check_magnitude(X):
    r"""Raise a ValueError if sums of squares of ``X`` may overflow its dtype.

    The solvers need the squared norms of the rows and of ``X`` itself
    (step sizes, curvature, the dual's diagonal), all at most
    :math:`m \max |x|^2` for the :math:`m` stored values. Data beyond that
    would fit to NaN or a zero model amid overflow warnings; refuse it
    before fitting instead. Rows of data that passed pass too (fewer values,
    a higher limit): within :data:`CHECKED_MAGNITUDE` the check is skipped.
    """
    if CHECKED_MAGNITUDE.get():
        return
    values = X.data if sp.issparse(X) else X
    if not values.size:
        return
    # max and min: no temporary of the size of X, as abs() would make.
    largest = max(float(values.max()), -float(values.min()))
    limit = np.sqrt(np.finfo(values.dtype).max / values.size)
    if largest > limit:
        raise ValueError(
            f"X holds values too large to fit on in {values.dtype}: the "
            f"largest magnitude is {largest:.3g}, and the sums of squares the "
            f"solvers need (up to {values.size} times its square) overflow "
            f"beyond {limit:.3g}. Rescale the features, for example with "
            "sklearn.preprocessing.StandardScaler."
        )


def _result_scores(result):
    """The scores of ``result.x`` if the optimizer returned them in its
    state (L-BFGS on a path, see :func:`_kept_state`), else None."""
    theta, scores, _ = (result.get("state") or {}).get("scores", (None,) * 3)
    if theta is None or not np.array_equal(theta, result.x):
        return None
    return scores


def _inert_weights(objective, theta, scores=None, value=None):
    r"""Why the weights of ``theta`` learned nothing, or None.

    Zeroing the weights (keeping the intercept :math:`b`) changes the
    objective by :math:`L(0, b) - L(W, b)`. When that is within a few units
    of rounding of :math:`L` although :math:`W = 0` is not optimal at
    :math:`b` (the data term's gradient :math:`G` in :math:`W` is nonzero,
    or beyond :math:`\alpha \rho` for an L1 part), the features are
    learnable but too small, next to ``alpha``, to move the objective in
    this precision: a scale-free stopping rule rightly finds nothing left to
    gain, and the model predicts from its intercept alone. A model that does
    move the objective is still named when it predicts its training data no
    better than a constant (see :func:`_no_better_than_a_constant`).

    ``scores`` and ``value``, those of ``theta`` when known (a path's L-BFGS
    fits return them, on scores carried by linearity), spare the products
    with ``X`` of both tests; a gain too close to the rounding for carried
    scores to decide is checked on the value computed afresh. Otherwise the
    scores of ``theta`` are computed once, for its objective and its
    predictions; those of :math:`W = 0` are :math:`b`. The gradient at
    :math:`W = 0`, a product with ``X`` more, is taken only for weights that
    gained nothing: a :math:`W = 0` optimal at :math:`b` cannot gain beyond
    rounding.
    """
    problem = objective.problem
    b = problem.unpack(theta)[1]
    # The scores of W = 0 are b: no product, and no zero weights of W's size
    # packed into a theta (with the zeros, two arrays of W's size, the peak
    # memory of a default fit on wide data once the fit was over). Its
    # penalty is zero. The gradient there costs a product, a share of a
    # short warm fit, so it is computed only for a model whose weights did
    # not move the objective.
    start = objective.data_loss(None, scores=objective.intercept_scores(b))
    eps = np.finfo(problem.dtype).eps
    if value is not None and start - value <= np.sqrt(eps) * abs(start):
        # The carried scores hold up to REFRESH roundings each: far from
        # the rounding of L, they tell which side the gain is on, near it
        # they do not.
        value = scores = None
    if value is None:
        scores = objective.scratch_scores(theta)
        value = objective.value(theta, scores=scores)
    gain = start - value
    resolution = 8 * eps * abs(start)
    if gain > resolution:
        # Then W = 0 is not optimal at b either (the objective is convex).
        return _no_better_than_a_constant(objective, theta, scores)
    at_zero = objective.intercept_scores(b)  # again: theta's scores took the memory
    gradient = objective.data_loss_gradient(None, scores=at_zero)[1]
    largest = float(np.max(np.abs(gradient[: problem.n_coef]), initial=0.0))
    name = problem.penalty.name
    shrink = {"l1": 1.0, "elasticnet": getattr(problem.penalty, "l1_ratio", 0.0)}
    if largest <= problem.alpha * shrink.get(name, 0.0):
        return None  # W = 0 is optimal at b: nothing to learn (or too much alpha)
    return (
        f"and zeroing its weights changes the objective by {gain:.3g}, within "
        f"its rounding ({resolution:.3g}), although the data's gradient in W "
        f"at W=0 reaches {largest:.3g}: at alpha={problem.alpha!r} the "
        "features are too small to learn from in this precision. Scale the "
        "features (for example with sklearn.preprocessing.StandardScaler) or "
        "lower alpha."
    )


def _no_better_than_a_constant(objective, theta, scores=None):
    r"""Why ``theta`` predicts its training data no better than a constant, or None.

    The best constant prediction is the heaviest class, right on a share
    :math:`\max_c \sum_{i: y_i = c} w_i / \sum_i w_i` of the weight. A model
    whose weighted training accuracy is no higher learned nothing usable,
    whatever its objective: the penalty outweighs what the features gain
    (``alpha`` too large for the scale of ``X``; this can be the exact
    optimum), or the optimizer stopped where the objective is too flat to
    order the classes. Costs one product with ``X``, none with the scores
    of ``theta`` given as ``scores``.
    """
    problem = objective.problem
    weights = problem.sample_weight
    y, k = problem.y, problem.n_classes
    correct = objective.predict(theta, scores) == y
    if weights is None:
        per_class = np.bincount(y, minlength=k)
        right = np.count_nonzero(correct)
    else:
        per_class = np.bincount(y, weights=weights, minlength=k)
        # The same sums in the same order: a model that predicts the heaviest
        # class everywhere compares equal, exactly.
        right = np.bincount(y, weights=np.where(correct, weights, 0), minlength=k).sum()
    if right > per_class.max():
        return None
    total = per_class.sum()
    return (
        f"and it predicts its training data no better than a constant: weighted "
        f"accuracy {right / total:.3g}, the heaviest class's share "
        f"{per_class.max() / total:.3g}. At alpha={problem.alpha!r} the penalty "
        "outweighs what the features can gain, or the objective is too flat "
        "for the tolerance to order the classes. Lower alpha, scale the "
        "features (for example with sklearn.preprocessing.StandardScaler), or "
        "lower tol."
    )


def _check_alpha(alpha, dtype):
    """Raise a ValueError if ``alpha`` is not a number of ``dtype``.

    The penalty and its gradient are computed in the data's dtype: an
    ``alpha`` beyond float32's range (3.4e38) would be infinite there.
    """
    limit = float(np.finfo(dtype).max)
    if alpha > limit:
        raise ValueError(
            f"alpha={alpha!r} is too large for {dtype} data: the penalty is "
            f"computed in {dtype}, whose largest number is {limit:.3g}. Use a "
            "smaller alpha (W = 0 is optimal long before), or float64 data."
        )


def _check_margin(margin, loss, n_samples, n_classes, dtype):
    r"""Raise a ValueError if the loss at :math:`W = 0` overflows ``dtype``.

    At :math:`W = 0` every sample loses :math:`(K - 1) \Delta^p` at most
    (:math:`p = 2` for ``"squared_hinge"``, 1 otherwise), and the losses sum
    :math:`n` of those before dividing by the total weight. A margin beyond
    that gives an infinite objective where the fit starts (or, in float32, a
    margin that is not even a number of the dtype); nothing can be fitted.
    """
    power = 2 if loss == "squared_hinge" else 1
    # In Python floats: a float32 limit would cast margin=1e200 to inf.
    limit = (float(np.finfo(dtype).max) / (n_samples * n_classes)) ** (1 / power)
    if margin > limit:
        raise ValueError(
            f"margin={margin!r} is too large for loss={loss!r} in {dtype}: the "
            f"loss at W=0 sums up to {n_samples} * {n_classes} times "
            f"{'margin**2' if power == 2 else 'margin'}, which overflows beyond "
            f"margin={limit:.3g}. Use a smaller margin."
        )


def _check_class_weight(class_weight):
    """A dict of ``class_weight`` must hold finite, non-negative weights."""
    if not isinstance(class_weight, dict):
        return  # "balanced": computed from y, always positive
    bad = {
        label: weight
        for label, weight in class_weight.items()
        # bool is a Real, but True as a weight is a mistake, not a 1.
        if isinstance(weight, bool)
        or not (isinstance(weight, Real) and np.isfinite(weight) and weight >= 0)
    }
    if bad:
        raise ValueError(
            "class_weight must map classes to finite, non-negative numbers; got "
            f"{bad!r}."
        )


def _check_labels(y, name="y"):
    """Reject labels that are missing or of mixed types, naming ``name``.

    Runs on the labels as given, before scikit-learn's checks: those fail on
    such labels with messages that do not name ``y`` ("boolean value of NA
    is ambiguous" for a pandas NA, a failed comparison for None, "Unknown
    label type" for numbers mixed with strings). Returns ``y`` unchanged.
    """
    if y is None:
        return y  # validate_data says that y is required
    dtype = getattr(y, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype.kind not in "fO":
        return y  # not converted here, so that a lazy (dask) array stays lazy
    try:
        labels = np.asarray(y)
    except (TypeError, ValueError):
        return y  # ragged nested lists and such: validate_data reports them
    if labels.dtype.kind not in "fO":
        return y  # integers, booleans and strings have no missing values
    labels = labels.ravel()
    if labels.dtype.kind == "f":
        missing = np.isnan(labels)
    else:
        missing = np.fromiter(map(_is_missing, labels), bool, count=labels.size)
    if missing.any():
        first = np.flatnonzero(missing)[0]
        value = labels[first]
        value = value.item() if isinstance(value, np.generic) else value
        raise ValueError(
            f"{name} contains missing values (NA/None/NaN): {missing.sum()} of its "
            f"{labels.size} labels, the first at position {first} ({value!r}); "
            f"drop those {'samples' if name == 'y' else 'entries'} or fill in "
            "their labels."
        )
    if labels.dtype.kind == "O":
        examples = {}
        for label in labels:
            examples.setdefault(_label_kind(label), label)
        if len(examples) > 1:
            kinds = sorted(examples)
            shown = ", ".join(f"{examples[kind]!r} ({kind})" for kind in kinds)
            raise ValueError(
                f"{name} has labels of mixed types ({' and '.join(kinds)}), e.g. "
                f"{shown}; the labels must be all strings or all numbers."
            )
    return y


def _is_missing(value):
    return value is None or is_scalar_nan(value) or is_pandas_na(value)


def _label_kind(label):
    """What a label is, for the mixed-types check: numbers compare with numbers."""
    if isinstance(label, str):
        return "string"
    if isinstance(label, Real | np.number | np.bool_):
        return "number"
    return type(label).__name__


@functools.cache
def _default_params(estimator_class):
    """The hyperparameters of a default ``estimator_class()`` (not to be modified)."""
    return estimator_class().get_params(deep=False)
