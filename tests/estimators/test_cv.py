"""SoftmaxClassifierCV and SVMClassifierCV: the choice of LogisticRegressionCV
on the same folds, parallel folds, metadata routing, pipelines and grid
searches, refit, ties, callbacks."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import config_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import accuracy_score, make_scorer
from sklearn.model_selection import GridSearchCV, GroupKFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklinear import SoftmaxClassifier, SoftmaxClassifierCV, SVMClassifierCV

from _api_data import BINARY, X_IRIS, Y_IRIS

ALPHAS = np.logspace(-1, -4, 7)


def test_same_choice_as_logistic_regression_cv():
    """On iris with the same 5 folds (120 training rows each) and the matched
    grid C = 1 / (2 * 120 * alpha), the fold scores agree and so does the choice."""
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    ours = SoftmaxClassifierCV(alphas=ALPHAS, cv=cv, tol=1e-8).fit(X_IRIS, Y_IRIS)
    Cs = 1.0 / (2 * 120 * ALPHAS)  # increasing, as LogisticRegressionCV sorts them
    theirs = LogisticRegressionCV(
        Cs=Cs,
        cv=cv,
        scoring="accuracy",
        tol=1e-10,
        max_iter=10000,
        l1_ratios=(0.0,),
        use_legacy_attributes=False,
    ).fit(X_IRIS, Y_IRIS)
    # (n_folds, n_l1_ratios, n_Cs) with use_legacy_attributes=False.
    their_scores = np.asarray(theirs.scores_).reshape(5, len(Cs))
    # The same models up to the solvers' tolerances: at most one test row
    # (1/30) of a fold may flip.
    assert np.abs(ours.scores_ - their_scores).max() <= 1 / 30 + 1e-12
    assert_allclose(ours.scores_.mean(axis=0), their_scores.mean(axis=0), atol=0.01)
    assert list(ALPHAS).index(ours.alpha_) == list(Cs).index(theirs.C_)


@pytest.mark.parametrize("binary", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("container", [np.asarray, sp.csr_matrix])
def test_default_accuracy_equals_the_accuracy_scorer(binary, weighted, container):
    """The default scoring scores a fold's whole path with one product after
    it; it must give, to the last bit, what the accuracy scorer gives model by
    model (a custom scorer takes that path), binary and multiclass, with
    weights, dense and sparse: ties between alphas are broken by these
    numbers."""
    # Binary: versicolor against virginica, which a line does not separate.
    rows = Y_IRIS > 0 if binary else slice(None)
    X, y = X_IRIS[rows], Y_IRIS[rows]
    weights = np.random.default_rng(0).uniform(0.1, 3.0, len(y)) if weighted else None
    params = {"alphas": np.logspace(0, -4, 6), "cv": 3}
    X = container(X)
    batched = SoftmaxClassifierCV(**params).fit(X, y, sample_weight=weights)
    scorer = make_scorer(accuracy_score)
    one_by_one = SoftmaxClassifierCV(scoring=scorer, **params)
    one_by_one.fit(X, y, sample_weight=weights)
    assert_array_equal(batched.coefs_paths_, one_by_one.coefs_paths_)
    assert_array_equal(batched.scores_, one_by_one.scores_)
    assert len(np.unique(batched.scores_)) > 2  # the models do differ


def test_n_jobs_2_equals_n_jobs_1():
    params = {"penalty": "l1", "alphas": 4, "cv": 3}
    one = SoftmaxClassifierCV(n_jobs=1, **params).fit(X_IRIS, Y_IRIS)
    two = SoftmaxClassifierCV(n_jobs=2, **params).fit(X_IRIS, Y_IRIS)
    assert_array_equal(one.scores_, two.scores_)
    assert_array_equal(one.coefs_paths_, two.coefs_paths_)
    assert_array_equal(one.coef_, two.coef_)


def test_attributes_and_refit():
    clf = SoftmaxClassifierCV(alphas=ALPHAS, cv=3).fit(X_IRIS, Y_IRIS)
    assert clf.alphas_.shape == (7,) and clf.scores_.shape == (3, 7)
    assert clf.coefs_paths_.shape == (3, 7, 3, 4)
    assert clf.intercepts_paths_.shape == (3, 7, 3)
    assert clf.n_iter_.shape == (3, 7)
    best = SoftmaxClassifier(alpha=clf.alpha_).fit(X_IRIS, Y_IRIS)
    assert_allclose(clf.coef_, best.coef_)
    assert_allclose(clf.predict_proba(X_IRIS), best.predict_proba(X_IRIS))
    assert clf.alpha_ == clf.alphas_[np.argmax(clf.scores_.mean(axis=0))]
    no_refit = SoftmaxClassifierCV(alphas=ALPHAS, cv=3, refit=False).fit(X_IRIS, Y_IRIS)
    k = list(ALPHAS).index(no_refit.alpha_)
    assert_allclose(no_refit.coef_, no_refit.coefs_paths_[:, k].mean(axis=0))
    assert not hasattr(no_refit, "best_estimator_")


def test_ties_go_to_the_larger_alpha():
    """Setosa against versicolor is separable: every alpha scores 1."""
    X, y = X_IRIS[BINARY], Y_IRIS[BINARY]
    clf = SVMClassifierCV(alphas=[1e-3, 1e-1, 1e-2], cv=3, random_state=0).fit(X, y)
    assert np.all(clf.scores_ == 1.0)
    assert clf.alpha_ == 0.1
    assert clf.coefs_paths_.shape == (3, 3, 1, 4)


def test_elastic_net_l1_ratios():
    clf = SoftmaxClassifierCV(
        penalty="elasticnet", l1_ratios=[0.2, 0.8], alphas=3, cv=3
    ).fit(X_IRIS, Y_IRIS)
    assert clf.alphas_.shape == (2, 3) and clf.scores_.shape == (2, 3, 3)
    assert clf.l1_ratio_ in (0.2, 0.8)
    assert clf.best_estimator_.l1_ratio == clf.l1_ratio_
    with pytest.raises(ValueError, match="l1_ratios must be"):
        SoftmaxClassifierCV(penalty="elasticnet", l1_ratios=[2.0]).fit(X_IRIS, Y_IRIS)


def test_l1_ratios_without_elastic_net_warn_and_are_ignored():
    params = {"alphas": [1e-1, 1e-3], "cv": 3}
    with pytest.warns(UserWarning, match="only used with penalty='elasticnet'"):
        ignored = SoftmaxClassifierCV(l1_ratios=[0.5], **params).fit(X_IRIS, Y_IRIS)
    plain = SoftmaxClassifierCV(**params).fit(X_IRIS, Y_IRIS)
    assert ignored.l1_ratios_ is None
    assert_array_equal(ignored.scores_, plain.scores_)


def test_a_training_fold_without_a_class_is_refused_before_any_fit(monkeypatch):
    """The rarest class (one sample) is missing from the training part of the
    fold that holds it out; no path is fitted before the error."""
    y = Y_IRIS.copy()
    y[-1] = 3

    def no_fit(*args, **kwargs):
        raise AssertionError("a path was fitted before the folds were checked")

    monkeypatch.setattr("sklinear._cv._warm_path", no_fit)
    with pytest.warns(UserWarning, match="least populated class"):  # StratifiedKFold
        with pytest.raises(
            ValueError,
            match=r"Training fold \d has no sample of class \[3\] \(\[1\] in y\)",
        ):
            SVMClassifierCV(cv=3).fit(X_IRIS, y)


def test_a_grid_that_starts_at_the_intercept_does_not_warn():
    """The default grid starts where the weights are nearly zero: on iris with
    3 folds the first alpha's models predict about as well as a constant
    (a third of each test fold), by design, so they do not warn as a single
    fit there would; only a fold's last fit is checked."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf = SoftmaxClassifierCV(cv=3).fit(X_IRIS, Y_IRIS)
    assert clf.scores_[:, 0].max() < 0.4 and clf.scores_.mean(axis=0).max() > 0.9


def test_sample_weight_is_used_by_fits_and_scorer():
    """sample_weight reaches every fit; without routing the scorer too."""
    weights = np.where(Y_IRIS == 2, 4.0, 1.0)
    params = {"alphas": [1e-1, 1e-3], "cv": 3}
    plain = SoftmaxClassifierCV(**params).fit(X_IRIS, Y_IRIS)
    weighted = SoftmaxClassifierCV(**params).fit(X_IRIS, Y_IRIS, sample_weight=weights)
    assert not np.allclose(plain.coefs_paths_, weighted.coefs_paths_)
    best = SoftmaxClassifier(alpha=weighted.alpha_).fit(X_IRIS, Y_IRIS, weights)
    assert_allclose(weighted.coef_, best.coef_)


def test_metadata_routing_to_fit_splitter_and_scorer():
    """With routing: sample_weight through a Pipeline, groups to the splitter,
    weights to a scorer that requests them."""
    weights = np.where(Y_IRIS == 2, 4.0, 1.0)
    groups = np.arange(len(Y_IRIS)) % 3
    with config_context(enable_metadata_routing=True):
        scorer = make_scorer(accuracy_score).set_score_request(sample_weight=True)
        clf = SoftmaxClassifierCV(alphas=[1e-1, 1e-3], cv=GroupKFold(3), scoring=scorer)
        clf.set_fit_request(sample_weight=True)
        pipe = make_pipeline(StandardScaler().set_fit_request(sample_weight=False), clf)
        pipe.fit(X_IRIS, Y_IRIS, sample_weight=weights, groups=groups)
        fitted = pipe[-1]
        assert fitted.scores_.shape == (3, 2)
        direct = SoftmaxClassifierCV(
            alphas=[1e-1, 1e-3], cv=GroupKFold(3), scoring=scorer
        )
        direct.fit(
            StandardScaler().fit_transform(X_IRIS),
            Y_IRIS,
            sample_weight=weights,
            groups=groups,
        )
        assert_allclose(fitted.scores_, direct.scores_)
    # Without routing, the same weights go to the scorer by default.
    folds = list(GroupKFold(3).split(X_IRIS, Y_IRIS, groups))
    manual = SoftmaxClassifierCV(alphas=[1e-1, 1e-3], cv=folds)
    manual.fit(StandardScaler().fit_transform(X_IRIS), Y_IRIS, sample_weight=weights)
    assert_allclose(manual.scores_, direct.scores_)


def test_in_grid_search_of_a_pipeline():
    pipe = make_pipeline(StandardScaler(), SoftmaxClassifierCV(alphas=3, cv=3))
    search = GridSearchCV(
        pipe, {"softmaxclassifiercv__penalty": ["l1", "elasticnet"]}, cv=2
    ).fit(X_IRIS, Y_IRIS)
    assert search.best_estimator_[-1].alpha_ > 0
    assert search.score(X_IRIS, Y_IRIS) > 0.8


def test_verbose_and_callbacks(capsys):
    callback = pytest.importorskip("sklearn.callback")
    SoftmaxClassifierCV(alphas=[1e-1, 1e-2], cv=3, verbose=1).fit(X_IRIS, Y_IRIS)
    assert capsys.readouterr().out
    monitor = callback.ScoringMonitor(scoring="accuracy")
    clf = SoftmaxClassifierCV(alphas=[1e-1, 1e-2], cv=3).set_callbacks(monitor)
    clf.fit(X_IRIS, Y_IRIS)
    rows = monitor.get_logs().data
    iterations = [row for row in rows if row["task_name"].endswith("iteration")]
    assert len(iterations) == clf.best_estimator_.n_iter_


def test_penalty_none_is_refused():
    with pytest.raises(ValueError, match="penalty=None has no alpha to vary"):
        SoftmaxClassifierCV(penalty=None).fit(X_IRIS, Y_IRIS)
