"""A held-out split that keeps the class proportions when it can."""

import math

from sklearn.model_selection import train_test_split

__all__ = ["check_validation_fraction", "stratified_split", "validation_size"]


def validation_size(validation_fraction, n_samples):
    """Number of the ``n_samples`` rows held out by ``validation_fraction``.

    Rounded up, and at least one: a validation set must hold a row.
    """
    return max(1, math.ceil(validation_fraction * n_samples))


def check_validation_fraction(validation_fraction, n_samples, n_classes):
    """Check that ``validation_fraction`` splits the data into usable sets.

    Early stopping scores the model on the held-out rows and trains on the
    others, so both sides need at least one row of every class they could
    hold, hence at least ``n_classes`` rows each. Checked here, before any
    split, so that the error names ``validation_fraction`` rather than the
    ``test_size`` or ``train_size`` of :func:`train_test_split`.

    Parameters
    ----------
    validation_fraction : float
        Fraction of the rows held out, in (0, 1).
    n_samples : int
        Number of rows of the training data.
    n_classes : int
        Number of classes in the training data.

    Returns
    -------
    n_valid : int
        Number of rows to hold out (see :func:`validation_size`).

    Raises
    ------
    ValueError
        If the split leaves no row to train on, or fewer than ``n_classes``
        rows on either side.
    """
    n_valid = validation_size(validation_fraction, n_samples)
    n_train = n_samples - n_valid
    held_out = (
        f"validation_fraction={validation_fraction!r} holds out {n_valid} of the "
        f"n_samples={n_samples} samples for validation"
    )
    if n_train < 1:
        raise ValueError(
            f"{held_out} and leaves no samples for training; lower "
            "validation_fraction or set early_stopping=False."
        )
    # Suggest sample counts, not fractions: a fraction at the boundary can
    # round either way through the ceil of validation_size.
    if n_valid < n_classes:
        raise ValueError(
            f"{held_out}, fewer than the {n_classes} classes, so the validation "
            "set cannot hold every class; raise validation_fraction so that it "
            f"holds out at least {n_classes} samples, or set early_stopping=False."
        )
    if n_train < n_classes:
        raise ValueError(
            f"{held_out} and leaves {n_train} for training, fewer than the "
            f"{n_classes} classes, so the training set cannot hold every class; "
            f"lower validation_fraction so that it leaves at least {n_classes} "
            "samples, or set early_stopping=False."
        )
    return n_valid


def stratified_split(*arrays, y, test_size, random_state):
    """``train_test_split`` stratified by ``y``, plain when a class is too small.

    Stratifying needs at least two samples of every class and room for each
    class on both sides; when it cannot be done the split is drawn at random,
    with the same ``test_size`` and ``random_state``.
    """
    try:
        return train_test_split(
            *arrays, test_size=test_size, stratify=y, random_state=random_state
        )
    except ValueError:  # too few rows of some class to stratify
        return train_test_split(*arrays, test_size=test_size, random_state=random_state)
