"""Row 11. Cross-validated classifiers against scikit-learn (issue 16).

The issue's targets 2 and 3, each timed interleaved with its anchor:

2. ``SoftmaxClassifierCV(cv=5)`` against ``LogisticRegressionCV(cv=5)`` with
   the same 10 values (``Cs = 1 / (2 n_train alpha)``, ``n_train`` the mean
   training-fold size), the same folds (both ``cv=5``: stratified, unshuffled)
   and the same ``tol``, on standardised digits and a 60k x 256
   make_classification set, both under ``threadpool_limits(1)`` with
   ``n_jobs=1``: the same chosen alpha and best mean score (within 0.1
   points), in at most 0.5x the time. How accurately each solves its fold
   problems is reported beside: the tolerances have the same value but not
   the same meaning (see :func:`report`).
3. ``SVMClassifierCV(cv=5)`` on MNIST (MNIST-like data unless cached, from
   :func:`rows.dual_cd.mnist_set`) against ``GridSearchCV`` over
   ``SVMClassifier`` with the same alphas and folds: at most 0.3x the time.
"""

import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegressionCV
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.preprocessing import StandardScaler

from harness import fmt_times, interleaved, log, pinned, quiet_fit, ratio, verdict
from rows.dual_cd import capped, mnist_set
from sklinear import (
    SoftmaxClassifier,
    SoftmaxClassifierCV,
    SVMClassifier,
    SVMClassifierCV,
    make_problem,
    objective_value,
)

NUMBER = "11"

#: Target 2's grid: ten values over the four decades of the path targets.
ALPHAS = np.logspace(-1, -5, 10)
FOLDS = 5
TOL = 1e-4
#: LogisticRegressionCV's max_iter: its default 100 could stop a fit short of
#: tol, which would compare an unconverged anchor (none reaches it here).
LR_MAX_ITER = 1000
#: Target 2's synthetic set (before standardising): 60k rows, 256 features.
SYNTHETIC = {
    "n_samples": 60_000,
    "n_features": 256,
    "n_informative": 64,
    "n_classes": 10,
    "n_clusters_per_class": 1,
    "random_state": 0,
}
#: The tol of the reference fits that the digits fold solutions are judged by.
TIGHT = 1e-10
#: Target 3's grid: three decades around the best alpha of the MNIST-like data
#: (0.1; the issue found 1e-2 on MNIST, inside too). Its smaller alphas are
#: the slow fits of the dual solver: down to 1e-4 the search took minutes.
SVM_ALPHAS = np.logspace(1, -2, 10)
#: Best mean scores may differ by this much (0.1 points of accuracy).
SCORE_GAP = 1e-3


def measure(workload):
    """Target 2 on digits and the 60k set, then target 3."""
    out = {"repeats": workload.repeats}
    X, y = workload.digits
    out["digits"] = softmax_cv("digits", X, y, workload.repeats)
    out["digits"]["gaps"] = fold_gaps(X, y, out["digits"])
    log(f"[11] make_classification({SYNTHETIC})")
    X, y = make_classification(**SYNTHETIC)
    X = StandardScaler().fit_transform(X)
    out["synthetic"] = softmax_cv("synthetic", X, y, workload.repeats)
    out["synthetic"]["differences"] = objective_differences(X, y, out["synthetic"])
    del X, y
    (Xtr, _, ytr, _), source, _ = mnist_set(workload.quick)
    out["svm"] = svm_cv(Xtr, ytr, workload.repeats)
    out["svm"].update(source=source, repeats=workload.repeats)
    return out


# -- target 2 -------------------------------------------------------------------


def softmax_cv(name, X, y, repeats):
    """SoftmaxClassifierCV against LogisticRegressionCV, interleaved, pinned."""
    n_train = X.shape[0] * (FOLDS - 1) / FOLDS
    Cs = 1.0 / (2 * n_train * ALPHAS)
    fitted = {}

    def ours():
        estimator = SoftmaxClassifierCV(alphas=ALPHAS, cv=FOLDS, tol=TOL, n_jobs=1)
        fitted["ours"] = quiet_fit(estimator, X, y)

    def theirs():
        estimator = LogisticRegressionCV(
            Cs=Cs,
            cv=FOLDS,
            tol=TOL,
            max_iter=LR_MAX_ITER,
            n_jobs=1,
            scoring="accuracy",
            l1_ratios=(0.0,),
            use_legacy_attributes=False,
        )
        fitted["theirs"] = quiet_fit(estimator, X, y)

    log(f"[11] {name}: SoftmaxClassifierCV vs LogisticRegressionCV x{repeats}")
    times = interleaved({"ours": pinned(ours), "theirs": pinned(theirs)}, repeats)
    o, t = fitted["ours"], fitted["theirs"]
    # (n_folds, n_l1_ratios, n_Cs) with use_legacy_attributes=False; Cs
    # increase, as the alphas decrease, so the columns line up.
    their_scores = np.asarray(t.scores_).reshape(FOLDS, len(Cs))
    their_iter = np.asarray(t.n_iter_).reshape(FOLDS, len(Cs))
    return {
        "shape": X.shape,
        "n_train": n_train,
        "times": times,
        "alpha": {"ours": float(o.alpha_), "theirs": float(1 / (2 * n_train * t.C_))},
        "best": {
            "ours": float(o.scores_.mean(axis=0).max()),
            "theirs": float(their_scores.mean(axis=0).max()),
        },
        "n_iter": {
            "ours": o.n_iter_.sum(axis=0).tolist(),
            "theirs": their_iter.sum(axis=0).tolist(),
        },
        "max_iter_theirs": int(their_iter.max()),
        "refit_iter_ours": int(o.best_estimator_.n_iter_),
        # The fold solutions, for the objectives (the last repeat's).
        "paths": {
            "ours": (o.coefs_paths_, o.intercepts_paths_),
            "theirs": np.asarray(t.coefs_paths_).reshape(
                FOLDS, len(Cs), *np.shape(t.coefs_paths_)[-2:]
            ),
        },
        "Cs": Cs,
    }


def _folds(X, y):
    """The folds both CV classes used (cv=5 on a classifier)."""
    return list(StratifiedKFold(FOLDS).split(X, y))


def _their_model(paths, f, k):
    """``coef_`` and ``intercept_`` of LogisticRegressionCV's fold ``f`` at C ``k``."""
    w = paths[f, k]
    return w[:, :-1], w[:, -1]


def fold_gaps(X, y, result):
    """Each solver's relative gap to a tight fit, on its own fold problem.

    Per fold and alpha: sklinear at ``ALPHAS[k]``, LogisticRegressionCV at
    ``1 / (2 n_fold C_k)`` (its folds differ in size by a row here, so its
    alpha does by 0.04%); each against ``SoftmaxClassifier(tol=TIGHT)`` on
    that problem. Medians over the folds.
    """
    log("[11] digits: tight reference fits of every fold and alpha")
    ours, theirs = result["paths"]["ours"], result["paths"]["theirs"]
    gaps = {"ours": np.empty((FOLDS, len(ALPHAS))), "theirs": None}
    gaps["theirs"] = np.empty_like(gaps["ours"])
    for f, (train, _) in enumerate(_folds(X, y)):
        Xf, yf = X[train], y[train]
        for k, alpha in enumerate(ALPHAS):
            models = {
                "ours": (alpha, (ours[0][f, k], ours[1][f, k])),
                "theirs": (
                    1 / (2 * len(train) * result["Cs"][k]),
                    _their_model(theirs, f, k),
                ),
            }
            for key, (a, model) in models.items():
                reference = SoftmaxClassifier(alpha=a, tol=TIGHT, max_iter=10_000)
                best = quiet_fit(reference, Xf, yf).objective_
                value = objective_value(make_problem(Xf, yf, alpha=a), *model)
                gaps[key][f, k] = (value - best) / best
    return {key: np.median(g, axis=0).tolist() for key, g in gaps.items()}


def objective_differences(X, y, result):
    """Per alpha, the median over folds of ``(theirs - ours) / ours``.

    The folds of the 60k set all have ``n_train`` rows, so both solve the same
    fold problems: a positive difference is how much higher
    LogisticRegressionCV stopped (tight reference fits of 48k rows would
    cost more than the row).
    """
    ours, theirs = result["paths"]["ours"], result["paths"]["theirs"]
    out = np.empty((FOLDS, len(ALPHAS)))
    for f, (train, _) in enumerate(_folds(X, y)):
        assert len(train) == result["n_train"]
        Xf, yf = X[train], y[train]
        for k, alpha in enumerate(ALPHAS):
            problem = make_problem(Xf, yf, alpha=alpha)
            mine = objective_value(problem, ours[0][f, k], ours[1][f, k])
            other = objective_value(problem, *_their_model(theirs, f, k))
            out[f, k] = (other - mine) / mine
    return np.median(out, axis=0).tolist()


# -- target 3 -------------------------------------------------------------------


def svm_cv(X, y, repeats):
    """SVMClassifierCV against GridSearchCV over SVMClassifier, same alphas."""
    fitted = {}

    def ours():
        estimator = SVMClassifierCV(alphas=SVM_ALPHAS, cv=FOLDS)
        fitted["ours"] = quiet_fit(estimator, X, y)

    def grid():
        search = GridSearchCV(SVMClassifier(), {"alpha": SVM_ALPHAS}, cv=FOLDS)
        fitted["grid"] = quiet_fit(search, X, y)

    log(f"[11] MNIST: SVMClassifierCV vs GridSearchCV(SVMClassifier) x{repeats}")
    times = capped({"ours": ours, "grid": grid}, repeats)
    o, g = fitted["ours"], fitted["grid"]
    return {
        "shape": X.shape,
        "times": times,
        "alpha": {"ours": float(o.alpha_), "grid": float(g.best_params_["alpha"])},
        "best": {"ours": float(o.scores_.mean(axis=0).max()), "grid": g.best_score_},
        "n_iter": o.n_iter_.sum(axis=0).tolist(),
    }


# -- the report -----------------------------------------------------------------


def report(data):
    """The section's lines and its lines of the targets table."""
    lines = [
        "## 11. Cross-validated classifiers (issue 16, targets 2 and 3)",
        "",
        "Both classes fit one warm-started path per fold; LogisticRegressionCV "
        "does too (lbfgs, warm-started along its Cs). Timings interleaved in "
        "this run.",
        "",
    ]
    summary = []
    for key in ("digits", "synthetic"):
        n, p = data[key]["shape"]
        title = "digits" if key == "digits" else f"{n // 1000}k x {p}"
        part_lines, part_summary = _softmax(data[key], title, key == "digits")
        lines += part_lines
        summary += part_summary
    part_lines, part_summary = _svm(data["svm"])
    return lines + part_lines, summary + part_summary


def _softmax(d, title, digits):
    times = d["times"]
    q = ratio(times["ours"], times["theirs"])
    same = d["alpha"]["ours"] == d["alpha"]["theirs"] or np.isclose(
        d["alpha"]["ours"], d["alpha"]["theirs"], rtol=1e-9
    )
    close = abs(d["best"]["ours"] - d["best"]["theirs"]) <= SCORE_GAP
    met = q <= 0.5 and same and close
    n, p = d["shape"]
    data = (
        f"standardised digits ({n} x {p})"
        if digits
        else (
            "make_classification("
            + ", ".join(f"{k}={v}" for k, v in SYNTHETIC.items())
            + f"), standardised ({n} x {p})"
        )
    )
    lines = [
        f"### 11.2. SoftmaxClassifierCV against LogisticRegressionCV, {title}",
        "",
        f"{data}; alphas = logspace(-1, -5, 10), Cs = 1/(2 n_train alpha) with "
        f"n_train = {d['n_train']:g} (the mean training fold); cv={FOLDS} for "
        f"both, tol={TOL:g} for both, n_jobs=1, threadpool_limits(1); "
        f"LogisticRegressionCV(solver='lbfgs', max_iter={LR_MAX_ITER}, "
        "scoring='accuracy'), refit=True for both. Target: the same alpha and "
        f"best mean score within {100 * SCORE_GAP:g} points, in <= 0.5x the time.",
        "",
        "| | time | chosen alpha | best mean score | iterations (folds summed) |",
        "|---|---|---|---|---|",
        f"| SoftmaxClassifierCV | {fmt_times(times['ours'])} | "
        f"{d['alpha']['ours']:.3g} | {d['best']['ours']:.5f} | "
        f"{sum(d['n_iter']['ours'])} + refit {d['refit_iter_ours']} |",
        f"| LogisticRegressionCV | {fmt_times(times['theirs'])} | "
        f"{d['alpha']['theirs']:.3g} | {d['best']['theirs']:.5f} | "
        f"{sum(d['n_iter']['theirs'])} + refit (not reported) |",
        "",
        f"Ratio {q:.2f}x: {verdict(met)} (alpha "
        f"{'the same' if same else 'DIFFERENT'}, best scores "
        f"{'within' if close else 'NOT within'} {100 * SCORE_GAP:g} points).",
        "",
        "Iterations per alpha (largest alpha first, summed over the folds; "
        "LogisticRegressionCV's largest single fit: "
        f"{d['max_iter_theirs']} of max_iter {LR_MAX_ITER}):",
        "",
        "| alpha | " + " | ".join(f"{a:.2g}" for a in ALPHAS) + " |",
        "|---|" + "---|" * len(ALPHAS),
        "| sklinear | " + " | ".join(map(str, d["n_iter"]["ours"])) + " |",
        "| scikit-learn | " + " | ".join(map(str, d["n_iter"]["theirs"])) + " |",
        "",
    ]
    if digits:
        lines += [
            "How accurately each solved its fold problems: the relative gap "
            f"to SoftmaxClassifier(tol={TIGHT:g}) on the same problem, median "
            "over the folds. The same tol does not mean the same accuracy: "
            "scikit-learn stops at max |gradient| <= tol of its objective "
            "(mean loss + ||W||^2 / (2 C n), the same objective as "
            "sklinear's), sklinear at max |gradient| / sqrt(h) <= tol * |L| "
            "(relative to the objective, which falls to a few hundredths at "
            "small alpha).",
            "",
            "| alpha | " + " | ".join(f"{a:.2g}" for a in ALPHAS) + " |",
            "|---|" + "---|" * len(ALPHAS),
            "| sklinear | " + " | ".join(f"{g:.1e}" for g in d["gaps"]["ours"]) + " |",
            "| scikit-learn | "
            + " | ".join(f"{g:.1e}" for g in d["gaps"]["theirs"])
            + " |",
            "",
        ]
    else:
        lines += [
            "How accurately each solved its fold problems (every fold has "
            "n_train rows, so both solved the same ones): (scikit-learn's "
            "objective - sklinear's) / sklinear's, median over the folds; "
            "positive where scikit-learn stopped higher.",
            "",
            "| alpha | " + " | ".join(f"{a:.2g}" for a in ALPHAS) + " |",
            "|---|" + "---|" * len(ALPHAS),
            "| difference | " + " | ".join(f"{g:.1e}" for g in d["differences"]) + " |",
            "",
        ]
    summary = [
        (
            f"11.2. SoftmaxClassifierCV, {title}",
            "<= 0.5x LogisticRegressionCV, same alpha and best score",
            f"{q:.2f}x, alpha {'same' if same else 'different'}, scores "
            f"{'within' if close else 'not within'} {100 * SCORE_GAP:g} points",
            met,
        )
    ]
    return lines, summary


def _svm(d):
    times = d["times"]
    q = ratio(times["ours"], times["grid"])
    n, p = d["shape"]
    lines = [
        "### 11.3. SVMClassifierCV against GridSearchCV over SVMClassifier",
        "",
        f"{d['source']}, standardised, training split ({n} x {p}); alphas = "
        f"logspace(1, -2, 10), cv={FOLDS} for both (the same stratified "
        "folds), every other setting the default (loss='hinge', "
        "optimizer 'dual_cd', tol=1e-4), refit for both; sklinear's own "
        "threading. A search longer than a minute on its first call is timed "
        "once ('once'). Target: <= 0.3x the time.",
        "",
        "| | time | chosen alpha | best mean score |",
        "|---|---|---|---|",
        f"| SVMClassifierCV | {fmt_times(times['ours'])}{_once(times['ours'], d)} | "
        f"{d['alpha']['ours']:.3g} | {d['best']['ours']:.5f} |",
        f"| GridSearchCV(SVMClassifier) | {fmt_times(times['grid'])}"
        f"{_once(times['grid'], d)} | "
        f"{d['alpha']['grid']:.3g} | {d['best']['grid']:.5f} |",
        "",
        f"Ratio {q:.2f}x: {verdict(q <= 0.3)}. SVMClassifierCV's epochs per "
        "alpha (largest first, folds summed): "
        + ", ".join(map(str, d["n_iter"]))
        + ".",
        "",
    ]
    summary = [
        (
            "11.3. SVMClassifierCV, MNIST",
            "<= 0.3x GridSearchCV(SVMClassifier)",
            f"{q:.2f}x",
            q <= 0.3,
        )
    ]
    return lines, summary


def _once(samples, d):
    """' once' for a search timed fewer times than the row's repeats."""
    return " once" if len(samples) < d["repeats"] else ""
