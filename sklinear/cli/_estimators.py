"""The classifiers the commands fit, their options, and the pipeline around them."""

from .. import SoftmaxClassifier, SVMClassifier
from ..losses import LOSSES
from ..penalties import PENALTIES
from ._errors import CommandError

#: The classifiers of ``--model``.
MODELS = {"svm": SVMClassifier, "softmax": SoftmaxClassifier}


def _losses_of(estimator_class):
    """The losses ``estimator_class`` accepts, from its parameter constraints."""
    (options,) = [
        constraint.options
        for constraint in estimator_class._parameter_constraints["loss"]
        if hasattr(constraint, "options")
    ]
    # The constraint holds a set, whose order may change from run to run: the
    # help and the error messages list the losses in the order of LOSSES.
    return tuple(name for name in LOSSES if name in options)


#: The losses each ``--model`` accepts, as its class declares them.
LOSSES_OF_MODEL = {model: _losses_of(cls) for model, cls in MODELS.items()}

#: The names ``--penalty`` accepts: the estimators' penalties, None as "none".
PENALTY_NAMES = tuple("none" if name is None else name for name in PENALTIES)


def _default(model, parameter):
    """The default of ``parameter`` in the class of ``--model model``."""
    return MODELS[model]().get_params()[parameter]


def build_pipeline(classifier):
    """The preprocessing + classifier pipeline that ``sklinear fit`` trains.

    Numeric columns are standardized; all other columns (strings, booleans,
    categories) are one-hot encoded, ignoring categories unseen at fit time.
    Columns are chosen by dtype when the pipeline is fitted, so it needs a
    :class:`pandas.DataFrame`.

    Parameters
    ----------
    classifier : estimator
        The final step, e.g. :class:`~sklinear.SVMClassifier`.

    Returns
    -------
    pipeline : sklearn.pipeline.Pipeline
        Two steps, ``"preprocess"`` (a
        :class:`~sklearn.compose.ColumnTransformer` of a
        :class:`~sklearn.preprocessing.StandardScaler` and a
        :class:`~sklearn.preprocessing.OneHotEncoder`) and ``"classifier"``.

    See Also
    --------
    save_model, load_model : Write and read the fitted pipeline.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklinear import SoftmaxClassifier
    >>> from sklinear.cli import build_pipeline
    >>> X = pd.DataFrame({"size": [1.0, 2.0, 3.0, 4.0], "colour": list("rrbb")})
    >>> pipeline = build_pipeline(SoftmaxClassifier()).fit(X, ["s", "s", "l", "l"])
    >>> pipeline.predict(X).tolist()
    ['s', 's', 'l', 'l']
    """
    from sklearn.compose import ColumnTransformer, make_column_selector
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    preprocess = ColumnTransformer(
        [
            (
                "numeric",
                StandardScaler(),
                make_column_selector(dtype_include="number"),
            ),
            (
                "categorical",
                OneHotEncoder(handle_unknown="ignore"),
                make_column_selector(dtype_exclude="number"),
            ),
        ]
    )
    return Pipeline([("preprocess", preprocess), ("classifier", classifier)])


def _penalty(name):
    return None if name == "none" else name


def _check_losses(model, losses):
    allowed = LOSSES_OF_MODEL[model]
    wrong = [loss for loss in losses if loss not in allowed]
    if wrong:
        raise CommandError(
            f"--loss {','.join(wrong)} is not a loss of --model {model} "
            f"(choose from {', '.join(allowed)})"
        )


def _make_classifier(args, penalty, loss, alpha=1e-4):
    """The ``--model`` classifier with these and the other options' settings."""
    params = {
        "alpha": alpha,
        "penalty": _penalty(penalty),
        "random_state": args.random_state,
    }
    if loss is not None:
        params["loss"] = loss
    if args.optimizer is not None:
        params["optimizer"] = args.optimizer
    if args.max_iter is not None:
        params["max_iter"] = args.max_iter
    return MODELS[args.model](**params)
