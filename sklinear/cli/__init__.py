"""The ``sklinear`` command line: ``demo``, ``fit``, ``predict`` and ``tune``.

``sklinear`` (the console script) and ``python -m sklinear`` are the same
program, :func:`main`. Without a command it runs ``demo``, the digits
comparison of the README.

- ``sklinear demo``: both classifiers on the bundled digits, next to
  scikit-learn's ``LogisticRegression`` and ``LinearSVC``.
- ``sklinear fit DATA --target COLUMN --output MODEL``: fit a preprocessing +
  classifier :class:`~sklearn.pipeline.Pipeline` on a CSV or Parquet file,
  report held-out accuracy, per-class precision and recall and the confusion
  matrix, and save the pipeline as a model file.
- ``sklinear predict MODEL DATA``: predicted classes (and, with ``--proba``,
  class probabilities) as CSV.
- ``sklinear tune DATA --target COLUMN``: cross-validated grid search over
  ``alpha``, printed and plotted as a validation curve.

Model files are written with :mod:`skops.io`, which rebuilds objects without
running code from the file, and are loaded only if every type they name is a
class defined by sklinear, scikit-learn, NumPy or Python's ``builtins`` and
``collections`` (:func:`load_model`).

``demo`` needs only sklinear's own dependencies; ``fit``, ``predict`` and
``tune`` import pandas, pyarrow (Parquet) and skops when they run, installed
by ``pip install "sklinear[cli]"``.
"""

import argparse
import contextlib
import os
import sys
import time

import numpy as np

from .. import SoftmaxClassifier, SVMClassifier, __version__
from ..optimizers import OPTIMIZERS
from ._errors import CommandError, _check_writable, _one_line, _require
from ._estimators import (
    LOSSES_OF_MODEL,
    MODELS,
    _check_losses,
    _make_classifier,
    _penalty,
    build_pipeline,
)
from ._model_files import TARGET_ATTRIBUTE, load_model, save_model
from ._progress import _convergence_notes, _fit_with_progress
from ._tables import (
    _describe,
    _format_table,
    _split,
    _split_target,
    read_data,
)

__all__ = [
    "main",
    "build_pipeline",
    "read_data",
    "save_model",
    "load_model",
    "CommandError",
]

PROG = "sklinear"


# -- argument types ----------------------------------------------------------------


def _positive_float(text):
    value = _float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def _non_negative_float(text):
    value = _float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be non-negative, got {text}")
    return value


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def _fold_count(text):
    value = _positive_int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"must be at least 2, got {text}")
    return value


def _float(text):
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _fraction(text):
    value = _float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be in (0, 1), got {text}")
    return value


def _test_fraction(text):
    value = _float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text}")
    return value


def _alpha_grid(text):
    """``"start:stop:num"``: ``num`` log-spaced values from start to stop."""
    parts = text.split(":")
    try:
        if len(parts) != 3:
            raise ValueError
        start, stop, num = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected START:STOP:NUM such as 1e-5:1e1:13, got {text!r}"
        ) from None
    if not (start > 0 and stop > 0 and num >= 1):
        raise argparse.ArgumentTypeError(
            f"START and STOP must be positive and NUM at least 1, got {text!r}"
        )
    return np.logspace(np.log10(start), np.log10(stop), num)


def _choice_list(choices):
    def parse(text):
        values = [value.strip() for value in text.split(",") if value.strip()]
        unknown = [value for value in values if value not in choices]
        if unknown or not values:
            raise argparse.ArgumentTypeError(
                f"expected a comma-separated list of {', '.join(choices)}, got {text!r}"
            )
        return list(dict.fromkeys(values))

    return parse


# -- demo ----------------------------------------------------------------------------


def _timed_fit(model, X, y):
    start = time.perf_counter()
    model.fit(X, y)
    return time.perf_counter() - start


def _demo(args):
    """Both classifiers on digits next to scikit-learn's, as a table."""
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC
    from threadpoolctl import threadpool_limits

    from ..losses import LOSSES
    from ..objective import LinearObjective
    from ..penalties import L2

    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=args.test_size, stratify=y, random_state=args.random_state
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    n, alpha = len(y_train), args.alpha
    print(
        f"digits: {n} training and {len(y_test)} test samples, "
        f"{X.shape[1]} features, 10 classes; alpha = {alpha:g} "
        f"(C = 1 / (2 n alpha) = {1 / (2 * n * alpha):.4g} for scikit-learn)\n"
    )

    rows = []
    for model in (
        SoftmaxClassifier(alpha=alpha, verbose=args.verbose),
        SVMClassifier(alpha=alpha, verbose=args.verbose),
    ):
        seconds = _timed_fit(model, X_train, y_train)
        rows.append(
            (
                f"sklinear {type(model).__name__} ({model.loss}, {model.optimizer_})",
                model.score(X_test, y_test),
                f"{model.objective_:.6f}",
                model.n_iter_,
                seconds,
            )
        )

    # scikit-learn at its best on few cores: BLAS on one thread.
    with threadpool_limits(limits=1, user_api="blas"):
        logistic = LogisticRegression(C=1 / (2 * n * alpha), max_iter=10_000)
        seconds = _timed_fit(logistic, X_train, y_train)
        # The same problem as SoftmaxClassifier's: its objective at this solution.
        same_problem = LinearObjective(
            X_train,
            np.searchsorted(logistic.classes_, y_train),
            loss=LOSSES["cross_entropy"].function,
            smooth=True,
            penalty=L2(),
            alpha=alpha,
            n_classes=len(logistic.classes_),
        )
        objective = same_problem.value(
            same_problem.pack(logistic.coef_.T, logistic.intercept_)
        )
        rows.append(
            (
                "scikit-learn LogisticRegression (same objective)",
                logistic.score(X_test, y_test),
                f"{objective:.6f}",
                int(np.max(logistic.n_iter_)),
                seconds,
            )
        )
        svc = LinearSVC()
        seconds = _timed_fit(svc, X_train, y_train)
        rows.append(
            (
                "scikit-learn LinearSVC (one-vs-rest, its defaults)",
                svc.score(X_test, y_test),
                "other objective",
                int(np.max(svc.n_iter_)),
                seconds,
            )
        )

    header = ("model", "test accuracy", "objective", "iterations", "fit time (s)")
    widths = [max(len(header[0]), *(len(r[0]) for r in rows)), 13, 15, 10, 12]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for name, accuracy, objective, n_iter, seconds in rows:
        print(
            f"{name.ljust(widths[0])}  {accuracy:<13.4f}  {objective:<15}  "
            f"{n_iter:<10d}  {seconds:<12.3f}"
        )
    return 0


# -- fit -----------------------------------------------------------------------------


def _report(pipeline, X_test, y_test):
    """Held-out accuracy, per-class precision/recall and the confusion matrix."""
    import pandas as pd
    from sklearn.metrics import accuracy_score, classification_report, confusion_matrix

    predicted = pipeline.predict(X_test)
    labels = np.union1d(pipeline.classes_, y_test.unique())
    names = [str(label) for label in labels]
    print(
        f"held-out accuracy: {accuracy_score(y_test, predicted):.4f} "
        f"({len(y_test)} rows)\n"
    )
    print(
        classification_report(
            y_test, predicted, labels=labels, target_names=names, zero_division=0
        )
    )
    matrix = pd.DataFrame(
        confusion_matrix(y_test, predicted, labels=labels), index=names, columns=names
    )
    print("confusion matrix (rows: true class, columns: predicted class)")
    print(matrix.to_string())


def _fit(args):
    _require("pandas", "fit")
    _require("skops.io", "fit")
    losses = [args.loss] if args.loss else []
    _check_losses(args.model, losses)
    _check_writable(args.output)
    data = read_data(args.data)
    X, y = _split_target(data, args.target, args.data)
    _describe(data, X, y, args.data, args.target)
    if args.test_size > 0:
        X_train, X_test, y_train, y_test = _split(
            X, y, args.test_size, args.random_state
        )
        if len(X_test) == 0 or len(X_train) == 0:
            raise CommandError(
                f"--test-size {args.test_size} leaves no rows to train or test on"
            )
    else:
        X_train, y_train, X_test, y_test = X, y, None, None
    if y_train.nunique() < 2:
        raise CommandError(
            "the training split has a single class; lower --test-size or add rows"
        )
    pipeline = build_pipeline(
        _make_classifier(args, args.penalty, args.loss, args.alpha)
    )
    start = time.perf_counter()
    try:
        with _convergence_notes():
            _fit_with_progress(pipeline, X_train, y_train)
    except ValueError as exc:
        raise CommandError(f"cannot fit: {_one_line(exc)}") from None
    seconds = time.perf_counter() - start
    classifier = pipeline[-1]
    print(
        f"fitted {type(classifier).__name__}(loss={classifier.loss!r}, "
        f"penalty={classifier.penalty!r}, alpha={classifier.alpha:g}) on "
        f"{len(X_train)} rows in {seconds:.2f} s: optimizer "
        f"{classifier.optimizer_}, {classifier.n_iter_} iterations, objective "
        f"{classifier.objective_:.6g}\n"
    )
    if X_test is not None:
        _report(pipeline, X_test, y_test)
    else:
        print(
            "no held-out rows (--test-size 0); training accuracy: "
            f"{pipeline.score(X_train, y_train):.4f}"
        )
    save_model(pipeline, args.output, target=args.target)
    print(f"\nwrote {args.output}")
    return 0


# -- predict -------------------------------------------------------------------------


def _predict(args):
    pd = _require("pandas", "predict")
    model = load_model(args.model)
    if args.proba and not hasattr(model, "predict_proba"):
        final = model[-1] if hasattr(model, "steps") else model
        raise CommandError(
            "--proba needs a model with class probabilities (--model softmax); "
            f"{args.model!r} holds a {type(final).__name__}"
        )
    data = read_data(args.data)
    target = getattr(model, TARGET_ATTRIBUTE, None)
    if target is not None and target in data.columns:
        data = data.drop(columns=[target])
    features = getattr(model, "feature_names_in_", None)
    if features is not None:
        missing = [str(f) for f in features if f not in data.columns]
        if missing:
            raise CommandError(
                f"{args.data!r} lacks column(s) the model was fitted on: "
                f"{', '.join(map(repr, missing))}"
            )
        data = data[list(features)]
    try:
        predicted = model.predict(data)
        proba = model.predict_proba(data) if args.proba else None
    except ValueError as exc:
        raise CommandError(
            f"cannot predict on {args.data!r}: {_one_line(exc)}"
        ) from None
    output = pd.DataFrame({target or "prediction": predicted})
    if proba is not None:
        for index, label in enumerate(model.classes_):
            output[str(label)] = proba[:, index]
    if args.output in (None, "-"):
        output.to_csv(sys.stdout, index=False)
    else:
        try:
            output.to_csv(args.output, index=False)
        except OSError as exc:
            raise CommandError(
                f"cannot write {args.output!r}: {_one_line(exc)}"
            ) from None
    return 0


# -- tune ----------------------------------------------------------------------------


def _tune(args):
    pd = _require("pandas", "tune")
    if args.output is not None:
        _require("skops.io", "tune")
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    losses = args.loss or [LOSSES_OF_MODEL[args.model][0]]
    _check_losses(args.model, losses)
    penalties = args.penalty or ["l2"]
    for path in (args.output, None if args.no_plot else args.plot):
        if path is not None:
            _check_writable(path)
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
    grid = {
        "classifier__alpha": list(args.alphas),
        "classifier__penalty": [_penalty(p) for p in penalties],
        "classifier__loss": losses,
    }
    search = GridSearchCV(
        build_pipeline(_make_classifier(args, penalties[0], losses[0])),
        grid,
        cv=cv,
        scoring="accuracy",
        return_train_score=True,
        refit=args.output is not None,
        error_score="raise",
        n_jobs=args.n_jobs,
    )
    n_fits = cv.get_n_splits() * len(args.alphas) * len(penalties) * len(losses)
    print(
        f"{cv.get_n_splits()}-fold cross-validation of {MODELS[args.model].__name__}"
        f" over {n_fits // cv.get_n_splits()} settings ({n_fits} fits)\n"
    )
    try:
        with _convergence_notes(what=f"some of the {n_fits} fits"):
            search.fit(X, y)
    except ValueError as exc:
        raise CommandError(f"cannot fit: {_one_line(exc)}") from None

    results = search.cv_results_
    table = pd.DataFrame(
        {
            "penalty": [str(p) for p in results["param_classifier__penalty"]],
            "loss": list(results["param_classifier__loss"]),
            "alpha": np.asarray(results["param_classifier__alpha"], dtype=float),
            "cv accuracy": results["mean_test_score"],
            "cv std": results["std_test_score"],
            "train accuracy": results["mean_train_score"],
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
    best = search.best_params_
    print(
        f"\nbest: alpha={best['classifier__alpha']:.3g}, "
        f"penalty={best['classifier__penalty']!r}, loss={best['classifier__loss']!r}"
        f": cv accuracy {search.best_score_:.4f}"
    )
    if not args.no_plot:
        _plot_validation_curve(table, args)
    if args.output is not None:
        save_model(search.best_estimator_, args.output, target=args.target)
        print(f"wrote {args.output} (the best setting, refitted on all rows)")
    return 0


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
        axes.plot(
            curve["alpha"],
            curve["cv accuracy"],
            "o-",
            color=colour,
            label=f"cross-validation{label}",
        )
        axes.fill_between(
            curve["alpha"],
            curve["cv accuracy"] - curve["cv std"],
            curve["cv accuracy"] + curve["cv std"],
            color=colour,
            alpha=0.2,
        )
        axes.plot(
            curve["alpha"],
            curve["train accuracy"],
            "--",
            color=colour,
            label=f"training{label}",
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


# -- the parser ----------------------------------------------------------------------


class _Formatter(argparse.HelpFormatter):
    """Help with the defaults shown, and indented example lines kept as they are."""

    def _get_help_string(self, action):
        help = action.help or ""
        if (
            "default" not in help
            and action.default is not None
            and action.default is not False
            and action.default is not argparse.SUPPRESS
            and action.option_strings
        ):
            help += " (default: %(default)s)"
        return help

    def _fill_text(self, text, width, indent):
        paragraphs = []
        for paragraph in text.split("\n\n"):
            if "\n  " in paragraph:  # an example: keep its lines
                paragraphs.append(
                    "\n".join(indent + line for line in paragraph.splitlines())
                )
            else:
                paragraphs.append(super()._fill_text(paragraph, width, indent))
        return "\n\n".join(paragraphs)


def _add_model_options(parser, tune=False):
    parser.add_argument(
        "--target",
        required=True,
        metavar="COLUMN",
        help="the column holding the class labels; all other columns are features",
    )
    parser.add_argument(
        "--model",
        choices=sorted(MODELS),
        default="svm",
        help="svm: SVMClassifier (multiclass hinge losses); softmax: "
        "SoftmaxClassifier (cross-entropy, with class probabilities)",
    )
    every_loss = [loss for losses in LOSSES_OF_MODEL.values() for loss in losses]
    penalties = ["l2", "l1", "elasticnet", "none"]
    if tune:
        parser.add_argument(
            "--loss",
            type=_choice_list(every_loss),
            metavar="LOSS[,LOSS...]",
            help="loss(es) to try: hinge, squared_hinge, crammer_singer for svm; "
            "cross_entropy for softmax (default: the model's default)",
        )
        parser.add_argument(
            "--penalty",
            type=_choice_list(penalties),
            metavar="PENALTY[,PENALTY...]",
            help="penalty(ies) to try, among l2, l1, elasticnet, none (default: l2)",
        )
    else:
        parser.add_argument(
            "--loss",
            choices=every_loss,
            help="hinge, squared_hinge or crammer_singer for svm, cross_entropy "
            "for softmax (default: the model's default, hinge or cross_entropy)",
        )
        parser.add_argument(
            "--penalty",
            choices=penalties,
            default="l2",
            help="the regularization R(W)",
        )
        parser.add_argument(
            "--alpha",
            type=_non_negative_float,
            default=1e-4,
            help="regularization strength",
        )
    parser.add_argument(
        "--optimizer",
        choices=["auto", *sorted(OPTIMIZERS)],
        help="how the objective is minimized (default: auto, L-BFGS for l2 or "
        "none, proximal gradient descent for l1 and elasticnet)",
    )
    parser.add_argument(
        "--max-iter",
        type=_positive_int,
        metavar="N",
        help="most optimizer iterations (default: the model's, 5000 for svm and "
        "1000 for softmax)",
    )


def _build_parser():
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="sklinear's multiclass SVM and softmax classifiers from the "
        "command line. Without a command, runs demo.",
        epilog='fit, predict and tune need pip install "sklinear[cli]". '
        "'sklinear COMMAND --help' documents each command.\n\n"
        "examples:\n"
        "  sklinear demo --verbose\n"
        "  sklinear fit iris.csv --target species --output iris.skops\n"
        "  sklinear predict iris.skops new.csv --output predictions.csv\n"
        "  sklinear tune iris.csv --target species --alphas 1e-5:1e1:13",
        formatter_class=_Formatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="compare both classifiers with scikit-learn's on the digits data "
        "(the default command)",
        description="Fit sklinear's SVM and softmax classifiers on the digits "
        "data set and compare them with scikit-learn's LogisticRegression and "
        "LinearSVC: test accuracy, objective, iterations and fit time.",
        formatter_class=_Formatter,
    )
    demo.add_argument(
        "--alpha",
        type=_positive_float,
        default=1e-3,
        help="regularization strength alpha",
    )
    demo.add_argument(
        "--test-size",
        metavar="FRACTION",
        type=_fraction,
        default=0.25,
        help="fraction of the data held out for testing",
    )
    demo.add_argument(
        "--random-state",
        type=int,
        default=0,
        metavar="SEED",
        help="seed of the train/test split",
    )
    demo.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print the objective at every iteration of sklinear's optimizers",
    )
    demo.set_defaults(run=_demo)

    fit = commands.add_parser(
        "fit",
        help="fit a classifier on a CSV or Parquet file and save it",
        description="Fit a classifier on a table: numeric feature columns are "
        "standardized, the others one-hot encoded, inside one scikit-learn "
        "Pipeline. Reports accuracy, per-class precision and recall and the "
        "confusion matrix on held-out rows, then saves the pipeline (fitted on "
        "the training rows) as a skops model file. A progress bar shows the "
        "iterations when stderr is a terminal.",
        epilog="example:\n  sklinear fit iris.csv --target species --model softmax "
        "--output iris.skops",
        formatter_class=_Formatter,
    )
    fit.add_argument("data", metavar="DATA", help="a .csv or .parquet file")
    _add_model_options(fit)
    fit.add_argument(
        "--test-size",
        metavar="FRACTION",
        type=_test_fraction,
        default=0.2,
        help="fraction of the rows held out (stratified) for the report; 0 "
        "trains on every row",
    )
    fit.add_argument(
        "--random-state",
        metavar="SEED",
        type=int,
        default=0,
        help="seed of the train/test split and of the random-search optimizers",
    )
    fit.add_argument(
        "--output",
        "-o",
        required=True,
        metavar="MODEL",
        help="the model file to write (e.g. model.skops)",
    )
    fit.set_defaults(run=_fit)

    predict = commands.add_parser(
        "predict",
        help="predict the classes of a CSV or Parquet file with a saved model",
        description="Predict with a model file written by 'sklinear fit': one "
        "CSV row per input row, the predicted class in a column named after the "
        "target. If DATA has the target column, it is ignored. The model file is "
        "refused unless every type it names is a class of sklinear, "
        "scikit-learn, NumPy or Python's builtins and collections.",
        epilog="example:\n  sklinear predict iris.skops new.csv --proba "
        "--output predictions.csv",
        formatter_class=_Formatter,
    )
    predict.add_argument("model", metavar="MODEL", help="a model file from fit")
    predict.add_argument("data", metavar="DATA", help="a .csv or .parquet file")
    predict.add_argument(
        "--proba",
        action="store_true",
        help="add the probability of each class, one column per class named "
        "after it (softmax models only)",
    )
    predict.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="write the CSV to FILE (default: standard output)",
    )
    predict.set_defaults(run=_predict)

    tune = commands.add_parser(
        "tune",
        help="cross-validate a grid of alpha values and plot the validation curve",
        description="Grid search with stratified k-fold cross-validation over "
        "log-spaced alpha values (and, optionally, several penalties and "
        "losses), on the same pipeline as fit. Prints the validation curve "
        "(alpha, mean and standard deviation of the cross-validated accuracy, "
        "training accuracy) and plots it if matplotlib is installed.",
        epilog="example:\n  sklinear tune iris.csv --target species --alphas "
        "1e-5:1e1:13 --penalty l2,l1",
        formatter_class=_Formatter,
    )
    tune.add_argument("data", metavar="DATA", help="a .csv or .parquet file")
    _add_model_options(tune, tune=True)
    tune.add_argument(
        "--alphas",
        type=_alpha_grid,
        default="1e-5:1e1:13",
        metavar="START:STOP:NUM",
        help="NUM log-spaced alpha values from START to STOP",
    )
    tune.add_argument(
        "--cv",
        type=_fold_count,
        default=5,
        metavar="K",
        help="number of cross-validation folds (at most the smallest class size)",
    )
    tune.add_argument(
        "--random-state",
        metavar="SEED",
        type=int,
        default=0,
        help="seed of the fold shuffling and of the random-search optimizers",
    )
    tune.add_argument(
        "--n-jobs",
        type=int,
        metavar="N",
        help="fits run in parallel (-1: all cores)",
    )
    tune.add_argument(
        "--plot",
        default="validation_curve.png",
        metavar="FILE",
        help="the PNG file of the validation curve",
    )
    tune.add_argument("--no-plot", action="store_true", help="do not plot")
    tune.add_argument(
        "--output",
        "-o",
        metavar="MODEL",
        help="also refit the best setting on all rows and save it as MODEL",
    )
    tune.set_defaults(run=_tune)
    return parser


# -- entry point ---------------------------------------------------------------------


def main(argv=None):
    """Run the ``sklinear`` command line.

    Parses ``argv`` with :mod:`argparse` and runs the command it names:
    ``demo``, ``fit``, ``predict`` or ``tune`` (``sklinear --help`` lists
    them, ``sklinear COMMAND --help`` documents their options). Reports go to
    stdout (for ``predict``, the CSV, unless ``--output`` is given); progress
    bars, warnings and errors go to stderr. ``main`` never exits the
    interpreter: the console script and ``python -m sklinear`` pass its
    return value to :func:`sys.exit`.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after the program name; ``sys.argv[1:]`` when None.
        No arguments, or options only (``--alpha 1e-2``), run ``demo``.

    Returns
    -------
    status : int
        The exit status: 0 on success, 2 for a usage error or a problem with
        the user's files (printed as one line on stderr, never a traceback).

    See Also
    --------
    sklinear.cli.load_model : How ``predict`` reads model files.

    Examples
    --------
    Fit a softmax classifier on a CSV file, then predict three of its rows
    (their ``species`` column is ignored):

    >>> import contextlib, io, os, tempfile
    >>> from sklearn.datasets import load_iris
    >>> from sklinear.cli import main
    >>> iris = load_iris(as_frame=True)
    >>> table = iris.frame.assign(species=iris.target_names[iris.target])
    >>> table = table.drop(columns="target")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     data, new = os.path.join(tmp, "iris.csv"), os.path.join(tmp, "new.csv")
    ...     model = os.path.join(tmp, "iris.skops")
    ...     table.to_csv(data, index=False)
    ...     table.iloc[[0, 50, 100]].to_csv(new, index=False)
    ...     with contextlib.redirect_stdout(io.StringIO()) as report:
    ...         fit_status = main(["fit", data, "--target", "species",
    ...                            "--model", "softmax", "--output", model])
    ...     predict_status = main(["predict", model, new])
    species
    setosa
    versicolor
    virginica
    >>> fit_status, predict_status
    (0, 0)
    >>> [line for line in report.getvalue().splitlines() if "accuracy:" in line]
    ['held-out accuracy: 1.0000 (30 rows)']
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (
        argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")
    ):
        argv = ["demo", *argv]
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error
        return exc.code if isinstance(exc.code, int) else 2
    command = f"{PROG} {argv[0]}"
    try:
        return args.run(args)
    except CommandError as exc:
        print(f"{command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of stdout left (``sklinear predict ... | head``): stop
        # quietly, and keep Python from complaining again when it flushes.
        with contextlib.suppress(AttributeError, OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
