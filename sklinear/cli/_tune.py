"""``sklinear tune``: cross-validated warm paths over alpha, as a curve.

Every (penalty, loss) setting runs one warm-started regularization path per
fold: the preprocessing is fitted on the training part of the fold, the
classifier is fitted at each ``alpha`` from the largest down, each fit
starting from the solution before it, and every solution is scored on the
held-out and the training part.
"""

import os
import sys
import warnings

import numpy as np

from .._path import _warm_path
from ._errors import CommandError, _check_writable, _one_line, _require
from ._estimators import (
    MODELS,
    _check_losses,
    _default,
    _make_classifier,
    _penalty,
    build_pipeline,
)
from ._model_files import save_model
from ._outputs import _check_not_an_input
from ._progress import _convergence_notes
from ._tables import _describe, _format_table, _split_target, read_data

#: Mean accuracies closer than this are ties: the means of the same fold
#: accuracies summed in another order differ in their last bits.
TIE_TOLERANCE = 1e-12


def run(args):
    pd = _require("pandas", "tune")
    if args.output is not None:
        _require("skops.io", "tune")
    from sklearn.model_selection import StratifiedKFold
    from sklearn.utils.parallel import Parallel, delayed

    losses = args.loss or [_default(args.model, "loss")]
    _check_losses(args.model, losses)
    penalties = args.penalty or ["l2"]
    plot = None if args.no_plot else args.plot
    for option, path in (("--output", args.output), ("--plot", plot)):
        if path is not None:
            _check_writable(path)
            _check_not_an_input(path, option, DATA=args.data)
    data = read_data(args.data)
    X, y = _split_target(data, args.target, args.data)
    _describe(data, X, y, args.data, args.target)
    smallest = int(y.value_counts().min())
    if smallest < 2:
        raise CommandError(
            f"target column {args.target!r} has a class with a single row; "
            "cross-validation needs at least 2 of each"
        )
    cv = StratifiedKFold(
        n_splits=min(args.cv, smallest), shuffle=True, random_state=args.random_state
    )
    # A path runs from the largest alpha down: each solution is then a good
    # start for the next, less regularized, one.
    alphas = np.sort(np.asarray(args.alphas, dtype=np.float64))[::-1]
    settings = [(penalty, loss) for penalty in penalties for loss in losses]
    n_folds = cv.get_n_splits()
    n_paths = n_folds * len(settings)
    n_fits = n_paths * len(alphas)
    print(
        f"{n_folds}-fold cross-validation of {MODELS[args.model].__name__}"
        f" over {n_fits // n_folds} settings ({n_fits} fits on {n_paths} warm"
        f" paths)\n"
    )
    folds = list(cv.split(X, y))
    try:
        with _convergence_notes(what=f"some of the {n_fits} fits"):
            paths = Parallel(n_jobs=args.n_jobs)(
                delayed(_fold_path)(
                    build_pipeline(_make_classifier(args, penalty, loss)),
                    X,
                    y,
                    train,
                    test,
                    alphas,
                )
                for penalty, loss in settings
                for train, test in folds
            )
            # Warnings of joblib's worker processes would bypass the notes
            # (and print as they are): each path brings its own, issued here
            # as if in this process, other warnings once each.
            registry = {}
            for path in paths:
                for message, category, filename, lineno in path.warnings:
                    warnings.warn_explicit(
                        message, category, filename, lineno, registry=registry
                    )
            shape = (len(settings), n_folds, len(alphas))
            test_scores = np.array([path.test for path in paths]).reshape(shape)
            train_scores = np.array([path.train for path in paths]).reshape(shape)
            mean = test_scores.mean(axis=1)
            best_setting, best_alpha = _best(mean)
            penalty, loss = settings[best_setting]
            alpha = float(alphas[best_alpha])
            if args.output is not None:
                best = build_pipeline(_make_classifier(args, penalty, loss, alpha))
                best.fit(X, y)
    except ValueError as exc:
        raise CommandError(f"cannot fit: {_one_line(exc)}") from None

    table = pd.DataFrame(
        {
            "penalty": [str(_penalty(p)) for p, _ in settings for _ in alphas],
            "loss": [loss for _, loss in settings for _ in alphas],
            "alpha": np.tile(alphas, len(settings)),
            "cv accuracy": mean.ravel(),
            "cv std": test_scores.std(axis=1).ravel(),
            "train accuracy": train_scores.mean(axis=1).ravel(),
        }
    ).sort_values(["penalty", "loss", "alpha"], kind="stable")
    varied = [c for c in ("penalty", "loss") if table[c].nunique() > 1]
    header = [*varied, "alpha", "cv accuracy (mean)", "cv accuracy (std)"]
    header.append("train accuracy")
    rows = [
        [
            *(row[c] for c in varied),
            f"{row['alpha']:.3g}",
            f"{row['cv accuracy']:.4f}",
            f"{row['cv std']:.4f}",
            f"{row['train accuracy']:.4f}",
        ]
        for _, row in table.iterrows()
    ]
    print(_format_table(header, rows))
    print(
        f"\nbest: alpha={alpha:.3g}, penalty={_penalty(penalty)!r}, loss={loss!r}"
        f": cv accuracy {mean[best_setting, best_alpha]:.4f}"
    )
    if not args.no_plot:
        _plot_validation_curve(table, args)
    if args.output is not None:
        save_model(best, args.output, target=args.target)
        print(f"wrote {args.output} (the best setting, refitted on all rows)")
    return 0


def _fold_path(pipeline, X, y, train, test, alphas):
    """One fold of one setting: a warm path on its training part, scored.

    Parameters
    ----------
    pipeline : sklearn.pipeline.Pipeline
        An unfitted :func:`build_pipeline` of the setting's classifier.
    X : pandas.DataFrame of shape (n_samples, n_columns)
        The feature columns of all rows.
    y : pandas.Series of shape (n_samples,)
        The class labels of all rows.
    train, test : ndarray of int
        The rows of the fold's training and held-out parts.
    alphas : ndarray of shape (n_alphas,)
        The values of ``alpha``, decreasing.

    Returns
    -------
    path : sklearn.utils.Bunch
        ``test`` and ``train``, the accuracy of the solution at each
        ``alpha`` on the held-out and the training part, and ``warnings``,
        the ``(message, category, filename, lineno)`` of the warnings of the
        fits.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.metrics import accuracy_score
    from sklearn.utils import Bunch

    preprocess, classifier = pipeline["preprocess"], pipeline["classifier"]
    test_scores, train_scores = np.empty(len(alphas)), np.empty(len(alphas))
    with warnings.catch_warnings(record=True) as caught:
        # As _convergence_notes does: each of them counts.
        warnings.simplefilter("always", ConvergenceWarning)
        # Fitted on the training part only, as GridSearchCV fits the
        # pipeline: the held-out rows are not seen by the scaling either.
        X_train = preprocess.fit_transform(X.iloc[train])
        X_test = preprocess.transform(X.iloc[test])
        y_train, y_test = y.iloc[train], y.iloc[test]

        def score(fitted, k):
            test_scores[k] = accuracy_score(y_test, fitted.predict(X_test))
            train_scores[k] = accuracy_score(y_train, fitted.predict(X_train))

        if classifier.penalty is None:
            # No alpha to vary: every alpha has the model of a single fit.
            score(classifier.set_params(alpha=alphas[0]).fit(X_train, y_train), 0)
            test_scores[1:], train_scores[1:] = test_scores[0], train_scores[0]
        else:
            _warm_path(classifier, X_train, y_train, None, alphas, on_fit=score)
    return Bunch(
        test=test_scores,
        train=train_scores,
        warnings=[(w.message, w.category, w.filename, w.lineno) for w in caught],
    )


def _best(mean):
    """``(setting, alpha)`` indices of the best mean accuracy.

    ``mean`` has shape (n_settings, n_alphas), alphas decreasing. Of equal
    means, the largest ``alpha`` wins (the simpler model, as in
    :class:`~sklinear.SoftmaxClassifierCV`), then the first setting.
    """
    settings, alphas = np.nonzero(mean >= mean.max() - TIE_TOLERANCE)
    first = np.lexsort((settings, alphas))[0]
    return int(settings[first]), int(alphas[first])


def _plot_validation_curve(table, args):
    """Save the validation curve as a PNG (only if matplotlib is installed)."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        print(
            "matplotlib is not installed: no plot written (pip install matplotlib)",
            file=sys.stderr,
        )
        return
    figure = Figure(figsize=(6.4, 4.4), layout="constrained")
    axes = figure.subplots()
    groups = table.groupby(["penalty", "loss"], sort=False)
    for index, ((penalty, loss), curve) in enumerate(groups):
        colour = f"C{index}"
        label = "" if len(groups) == 1 else f" ({penalty}, {loss})"
        alpha, mean, std = curve["alpha"], curve["cv accuracy"], curve["cv std"]
        axes.plot(alpha, mean, "o-", color=colour, label=f"cross-validation{label}")
        axes.fill_between(alpha, mean - std, mean + std, color=colour, alpha=0.2)
        axes.plot(
            alpha, curve["train accuracy"], "--", color=colour, label=f"training{label}"
        )
    axes.set_xscale("log")
    axes.set_xlabel("alpha")
    axes.set_ylabel("accuracy")
    axes.set_title(
        f"{MODELS[args.model].__name__} on {os.path.basename(args.data)}: "
        "validation curve"
    )
    axes.legend()
    try:
        figure.savefig(args.plot, dpi=100)
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot write {args.plot!r}: {_one_line(exc)}") from None
    print(f"wrote {args.plot}")
