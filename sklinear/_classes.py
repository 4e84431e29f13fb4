"""The two classifiers of the lecture: the multiclass SVM and the softmax classifier."""

from numbers import Real

import numpy as np
from scipy.special import log_expit, log_softmax
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._base import BaseLinearClassifier
from ._docstrings import fill_docstring

__all__ = ["SVMClassifier", "SoftmaxClassifier"]


class SVMClassifier(BaseLinearClassifier):
    r"""Multiclass linear support vector machine (Weston-Watkins by default).
    {objective}
    The default ``loss="hinge"`` is the lecture's multiclass SVM loss

    .. math::

        L_i = \sum_{j \neq y_i} \max(0,\ s_j - s_{y_i} + \Delta),

    with :math:`\Delta` the ``margin``: the correct class must win by the
    margin, and once it does the sample has no loss.

    Read more in the :ref:`User Guide <model>`.

    Parameters
    ----------
    loss : {"hinge", "squared_hinge", "crammer_singer"}, default="hinge"
        ``"hinge"``: every class scoring within the margin of the correct one
        adds its violation (Weston-Watkins). ``"squared_hinge"``: the same
        violations squared (smooth). ``"crammer_singer"``: only the largest
        violation counts, as in
        ``LinearSVC(multi_class="crammer_singer")``.
    margin : float, default=1.0
        The margin :math:`\Delta > 0`.
    {parameters}

    Attributes
    ----------
    {attributes}
    dual_gap_ : float
        With ``optimizer="dual_cd"`` (the default for ``penalty="l2"``): the
        relative duality gap :math:`(L - D) / L` at the end of the fit, so
        that ``objective_`` is certified within ``dual_gap_ * objective_`` of
        the optimum. Not set by the other optimizers.

    See Also
    --------
    SoftmaxClassifier : The same linear model with the cross-entropy loss.
    sklearn.svm.LinearSVC : One-vs-rest or Crammer-Singer SVM by liblinear.

    Notes
    -----
    The two-class problem is trained with this same objective, so ``alpha``
    means the same for any number of classes.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklinear import SVMClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = make_pipeline(StandardScaler(), SVMClassifier(alpha=1e-3)).fit(X, y)
    >>> round(clf.score(X, y), 2)
    0.97
    """

    _parameter_constraints: dict = {
        **BaseLinearClassifier._parameter_constraints,
        "loss": [StrOptions({"hinge", "squared_hinge", "crammer_singer"})],
        "margin": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(
        self,
        loss="hinge",
        *,
        margin=1.0,
        penalty="l2",
        alpha=1e-4,
        l1_ratio=0.15,
        fit_intercept=True,
        class_weight=None,
        optimizer="auto",
        learning_rate="auto",
        max_iter=5000,
        tol=1e-4,
        random_state=None,
        verbose=0,
        warm_start=False,
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
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
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


class SoftmaxClassifier(BaseLinearClassifier):
    r"""Softmax (multinomial logistic regression) classifier.
    {objective}
    The loss is the cross-entropy of the softmax probabilities,

    .. math::

        P(Y = k \mid x_i) = \frac{e^{s_k}}{\sum_j e^{s_j}},
        \qquad L_i = -\log P(Y = y_i \mid x_i),

    computed stably (see :func:`sklinear.losses.softmax_cross_entropy`).
    With ``penalty="l2"`` this is scikit-learn's multinomial
    ``LogisticRegression`` with ``C = 1 / (2 n alpha)`` (``1 / (n alpha)``
    for two classes), ``n`` the number of samples.

    Read more in the :ref:`User Guide <model>`.

    Parameters
    ----------
    loss : {"cross_entropy"}, default="cross_entropy"
        The softmax cross-entropy loss (the only one).
    {parameters}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    SVMClassifier : The same linear model with multiclass hinge losses.
    sklearn.linear_model.LogisticRegression : The same model, fitted by
        scikit-learn.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklinear import SoftmaxClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = make_pipeline(StandardScaler(), SoftmaxClassifier(alpha=1e-3)).fit(X, y)
    >>> clf.predict_proba(X[:1]).round(3)
    array([[0.995, 0.005, 0.   ]])
    """

    _parameter_constraints: dict = {
        **BaseLinearClassifier._parameter_constraints,
        "loss": [StrOptions({"cross_entropy"})],
    }

    def __init__(
        self,
        loss="cross_entropy",
        *,
        penalty="l2",
        alpha=1e-4,
        l1_ratio=0.15,
        fit_intercept=True,
        class_weight=None,
        optimizer="auto",
        learning_rate="auto",
        max_iter=1000,
        tol=1e-4,
        random_state=None,
        verbose=0,
        warm_start=False,
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
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
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
            ``log P(Y = k | x)``, columns in the order of ``classes_``;
            computed without forming the probabilities, so it stays finite.
        """
        check_is_fitted(self)
        scores = self.decision_function(X)
        if scores.ndim == 1:
            # Two classes: the softmax of (0, d) is (expit(-d), expit(d)).
            return np.column_stack([log_expit(-scores), log_expit(scores)])
        return log_softmax(scores, axis=1)

    def predict_proba(self, X):
        """Softmax probabilities of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            ``P(Y = k | x)``, columns in the order of ``classes_``; rows sum
            to one.
        """
        return np.exp(self.predict_log_proba(X))


# The hinge losses' smoothing continuation takes many more (cheap) iterations
# than a smooth problem, hence their larger max_iter and looser tol.
fill_docstring(SVMClassifier, "1e-4", "5000")
fill_docstring(SoftmaxClassifier, "1e-4", "1000")
