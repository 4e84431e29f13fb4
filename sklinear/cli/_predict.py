"""``sklinear predict``: the classes (and probabilities) a model file predicts."""

import sys

from ._errors import CommandError, _check_writable, _one_line, _require
from ._model_files import TARGET_ATTRIBUTE, load_model
from ._outputs import _check_not_an_input, _write_atomically
from ._tables import read_data


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
