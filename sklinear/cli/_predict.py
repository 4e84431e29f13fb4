"""``sklinear predict``: the classes (and probabilities) a model file predicts."""

import sys

import numpy as np

from ._errors import CommandError, _check_writable, _one_line, _require
from ._model_files import TARGET_ATTRIBUTE, load_model
from ._outputs import _check_not_an_input, _write_atomically
from ._tables import _check_numbers, _kind, read_data


def _fitted_kinds(model):
    """``{column: kind}`` of the columns the model's preprocessing was fitted on.

    Read from a pipeline of :func:`build_pipeline`: the standardized columns
    held numbers, the one-hot encoded ones the kind of their categories. Empty
    for a model of another shape, which is then left to check its input.
    """
    import pandas as pd

    steps = getattr(model, "named_steps", None) or {}
    transformers = getattr(steps.get("preprocess"), "transformers_", None) or []
    kinds = {}
    for name, transformer, columns in transformers:
        if name == "numeric" and hasattr(transformer, "scale_"):
            kinds.update(dict.fromkeys(columns, "numbers"))
        elif name == "categorical" and hasattr(transformer, "categories_"):
            for column, categories in zip(
                columns, transformer.categories_, strict=True
            ):
                kind = _kind(pd.Series(categories))
                # scikit-learn turns a nullable boolean column with missing
                # values into the floats 0, 1 and nan before encoding it.
                known = categories[pd.notna(categories)]
                if kind == "numbers" and np.isin(known, [0, 1]).all():
                    kind = "booleans"
                kinds[column] = kind
    return kinds


def _check_schema(model, data, path):
    """Fail if ``data`` no longer has the columns of the types the model knows.

    A column read as text at fit time and as numbers now (or booleans, or
    empty) is a change of the file's schema: the one-hot encoder would fail
    deep inside scikit-learn (a ``TypeError``, or "previously unseen labels"),
    and a numeric column turned boolean would be silently scaled as 0 and 1.
    """
    kinds = _fitted_kinds(model)
    changed = []
    for column, then in kinds.items():
        if column in data.columns:
            now = _kind(data[column])
            if now != then:
                changed.append(f"{str(column)!r}: {then} at fit time, {now} now")
    if changed:
        raise CommandError(
            f"column(s) of {path!r} whose type changed since the model was "
            f"fitted: {'; '.join(changed)}; convert them back or refit the model"
        )
    numeric = [
        column
        for column, kind in kinds.items()
        if kind == "numbers" and column in data.columns
    ]
    _check_numbers(data[numeric], path, fitting=False)


def run(args):
    pd = _require("pandas", "predict")
    to_file = args.output not in (None, "-")
    if to_file:
        _check_writable(args.output)
        _check_not_an_input(args.output, MODEL=args.model, DATA=args.data)
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
    _check_schema(model, data, args.data)
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
    if to_file:
        _write_atomically(args.output, output.to_csv(index=False).encode())
    else:
        output.to_csv(sys.stdout, index=False)
    return 0
