"""From estimator hyperparameters to an optimizer's settings, through its spec."""

import warnings

from sklearn.utils import check_random_state

from .optimizers import OPTIMIZERS

__all__ = ["optimizer_settings"]

#: Hyperparameters that some optimizer takes, with the optimizers that take
#: each; the others ignore them. The random state is left out: setting it
#: where nothing is random is harmless.
_USERS = {
    key: [name for name, spec in OPTIMIZERS.items() if key in spec.hyperparameters]
    for spec in OPTIMIZERS.values()
    for key in spec.hyperparameters
    if key != "random_state"
}


def optimizer_settings(name, params, defaults, state=None):
    """The keyword arguments of optimizer ``name`` from an estimator's ``params``.

    Only the hyperparameters its :class:`~sklinear.optimizers.OptimizerSpec`
    lists are passed. One that it ignores but that is set away from its
    value in ``defaults`` gets a ``UserWarning``: the user meant it to matter.
    ``state``, what the optimizer left after a previous run (e.g. its step
    size), is passed to an optimizer that can resume from it.
    """
    spec = OPTIMIZERS[name]
    settings = {key: params[key] for key in spec.hyperparameters if key in params}
    if "random_state" in settings:
        settings["random_state"] = check_random_state(settings["random_state"])
    for key, why in sorted(_ignored(name, settings).items()):
        if key in params and _differs(params[key], defaults[key]):
            warnings.warn(
                f"{key}={params[key]!r} has no effect with optimizer={name!r}{why}.",
                UserWarning,
                stacklevel=5,
            )
    if state is not None and spec.state:
        settings["state"] = state
    if spec.chunk_size is not None:
        settings["chunk_size"] = spec.chunk_size
    return settings


def _differs(value, default):
    """Whether a hyperparameter was set away from its default (``1.0 == 1``)."""
    try:
        return bool(value != default)
    except (TypeError, ValueError):
        return value is not default


def _ignored(name, settings):
    """The hyperparameters optimizer ``name`` ignores, each with the reason's tail."""
    spec = OPTIMIZERS[name]
    ignored = {
        key: f"; it is used by {', '.join(map(repr, users))}"
        for key, users in _USERS.items()
        if key not in spec.hyperparameters
    }
    if spec.ignores is not None:
        ignored.update(spec.ignores(settings))
    return ignored
