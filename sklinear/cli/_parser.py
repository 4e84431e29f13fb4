"""The argument parser of ``sklinear`` and its commands."""

import argparse
import math

import numpy as np

from .. import __version__
from ..optimizers import OPTIMIZERS
from . import _demo, _fit, _predict, _tune
from ._estimators import LOSSES_OF_MODEL, MODELS, PENALTY_NAMES, _default

PROG = "sklinear"


class _Parser(argparse.ArgumentParser):
    """argparse's parser with usage errors on one line, as every other
    user error of the command line: the usage it would print first is what
    ``--help`` is for, and the line says so."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


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


def _positive_float(text):
    value = _float(text)
    if not 0 < value < np.inf:
        raise argparse.ArgumentTypeError(f"must be positive and finite, got {text}")
    return value


def _non_negative_float(text):
    value = _float(text)
    if not 0 <= value < np.inf:
        raise argparse.ArgumentTypeError(f"must be non-negative and finite, got {text}")
    return value


def _int(text):
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None


def _positive_int(text):
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def _fold_count(text):
    value = _positive_int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"must be at least 2, got {text}")
    return value


#: The largest seed: NumPy's legacy generators, which scikit-learn's splitters
#: seed, take 32-bit seeds.
MAX_SEED = 2**32 - 1


def _seed(text):
    """``--random-state``: a seed NumPy's legacy generators accept."""
    value = _int(text)
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(
            f"must be an integer in [0, {MAX_SEED}] (2**32 - 1), got {text}"
        )
    return value


def _n_jobs(text):
    """``--n-jobs``: joblib's count of workers, where 0 means nothing."""
    value = _int(text)
    if value == 0:
        raise argparse.ArgumentTypeError(
            "must be a positive number of workers or negative (-1: all cores), got 0"
        )
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


#: Rows and classes of scikit-learn's digits, which ``demo`` splits.
DIGITS_ROWS, DIGITS_CLASSES = 1797, 10


def _demo_test_fraction(text):
    """``demo --test-size``: a stratified split with every digit on both sides."""
    value = _fraction(text)
    n_test = math.ceil(value * DIGITS_ROWS)  # how train_test_split rounds
    if min(n_test, DIGITS_ROWS - n_test) < DIGITS_CLASSES:
        low = (DIGITS_CLASSES - 1) / DIGITS_ROWS
        high = (DIGITS_ROWS - DIGITS_CLASSES) / DIGITS_ROWS
        raise argparse.ArgumentTypeError(
            f"must leave at least {DIGITS_CLASSES} of the {DIGITS_ROWS} digits (one "
            f"per class) on each side of the split, i.e. be in "
            f"({low:.4f}, {high:.4f}], got {text}"
        )
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
    if not (0 < start < np.inf and 0 < stop < np.inf and num >= 1):
        raise argparse.ArgumentTypeError(
            f"START and STOP must be positive and finite and NUM at least 1, "
            f"got {text!r}"
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


def _or(words):
    """``"a, b or c"``: the alternatives ``words`` in a phrase."""
    *rest, last = words
    return f"{', '.join(rest)} or {last}" if rest else last


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
    penalties = list(PENALTY_NAMES)
    if tune:
        losses_per_model = "; ".join(
            f"{', '.join(losses)} for {model}"
            for model, losses in LOSSES_OF_MODEL.items()
        )
        parser.add_argument(
            "--loss",
            type=_choice_list(every_loss),
            metavar="LOSS[,LOSS...]",
            help=f"loss(es) to try: {losses_per_model} (default: the model's default)",
        )
        parser.add_argument(
            "--penalty",
            type=_choice_list(penalties),
            metavar="PENALTY[,PENALTY...]",
            help=f"penalty(ies) to try, among {', '.join(penalties)} (default: l2)",
        )
    else:
        losses_per_model = ", ".join(
            f"{_or(losses)} for {model}" for model, losses in LOSSES_OF_MODEL.items()
        )
        default_losses = " or ".join(_default(model, "loss") for model in MODELS)
        parser.add_argument(
            "--loss",
            choices=every_loss,
            help=f"{losses_per_model} (default: the model's default, {default_losses})",
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
        help="how the objective is minimized (default: auto, dual coordinate "
        "descent for the svm losses with l2 and alpha > 0, L-BFGS for the other "
        "l2 fits and for none, proximal gradient descent for l1 and elasticnet)",
    )
    max_iter_per_model = " and ".join(
        f"{_default(model, 'max_iter')} for {model}" for model in MODELS
    )
    parser.add_argument(
        "--max-iter",
        type=_positive_int,
        metavar="N",
        help=f"most optimizer iterations (default: the model's, {max_iter_per_model})",
    )


def _build_parser():
    parser = _Parser(
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
        type=_demo_test_fraction,
        default=0.25,
        help="fraction of the data held out for testing",
    )
    demo.add_argument(
        "--random-state",
        type=_seed,
        default=0,
        metavar="SEED",
        help="seed of the train/test split and of the SVMs' sample order",
    )
    demo.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print the objective at every iteration of sklinear's optimizers",
    )
    demo.set_defaults(run=_demo.run)

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
        type=_seed,
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
    fit.set_defaults(run=_fit.run)

    predict = commands.add_parser(
        "predict",
        help="predict the classes of a CSV or Parquet file with a saved model",
        description="Predict with a model file written by 'sklinear fit': one "
        "CSV row per input row, the predicted class in a column named after the "
        "target. If DATA has the target column, it is ignored. The model file is "
        "refused unless every type it names is one that fit and tune write "
        "(the pipeline's estimators, containers, NumPy arrays).",
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
    predict.set_defaults(run=_predict.run)

    tune = commands.add_parser(
        "tune",
        help="cross-validate a grid of alpha values and plot the validation curve",
        description="Stratified k-fold cross-validation of log-spaced alpha "
        "values (and, optionally, several penalties and losses), on the same "
        "pipeline as fit: on each fold, the preprocessing is fitted on the "
        "training rows and one warm-started regularization path runs over the "
        "alpha values, from the largest down. Prints the validation curve "
        "(alpha, mean and standard deviation of the cross-validated accuracy, "
        "training accuracy) and the best setting (of equal accuracies, the "
        "largest alpha), and plots the curve if matplotlib is installed.",
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
        type=_seed,
        default=0,
        help="seed of the fold shuffling and of the random-search optimizers",
    )
    tune.add_argument(
        "--n-jobs",
        type=_n_jobs,
        metavar="N",
        help="folds (times settings) run in parallel (-1: all cores)",
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
    tune.set_defaults(run=_tune.run)
    return parser
