"""``sklinear fit``: fit the pipeline on a data file, report, save the model."""

import time

import numpy as np

from ._errors import CommandError, _check_writable, _one_line, _require
from ._estimators import _check_losses, _make_classifier, build_pipeline
from ._model_files import save_model
from ._outputs import _check_not_an_input
from ._progress import _convergence_notes, _fit_with_progress
from ._tables import _describe, _split, _split_target, read_data


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


def run(args):
    _require("pandas", "fit")
    _require("skops.io", "fit")
    losses = [args.loss] if args.loss else []
    _check_losses(args.model, losses)
    _check_writable(args.output)
    _check_not_an_input(args.output, DATA=args.data)
    data = read_data(args.data)
    X, y = _split_target(data, args.target, args.data)
    _describe(data, X, y, args.data, args.target)
    if args.test_size > 0:
        # _split refuses a --test-size that leaves fewer rows than classes.
        X_train, X_test, y_train, y_test = _split(
            X, y, args.test_size, args.random_state
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
