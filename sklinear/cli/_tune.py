"""``sklinear tune``: cross-validated grid search over alpha, as a curve."""

import os
import sys

import numpy as np

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


def run(args):
    pd = _require("pandas", "tune")
    if args.output is not None:
        _require("skops.io", "tune")
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

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
