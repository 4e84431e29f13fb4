"""Every example of the gallery runs to the end."""

import runpy
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("plot_*.py"))
#: Examples that need an optional extra, and the modules they import from it.
OPTIONAL = {"plot_scaling_out.py": ("dask", "distributed", "dask_ml")}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs_and_draws(path, monkeypatch):
    """The script runs without error and leaves at least one figure."""
    import matplotlib.pyplot as plt

    for module in OPTIONAL.get(path.name, ()):
        pytest.importorskip(module)
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: None)
    plt.close("all")
    runpy.run_path(str(path), run_name="__main__")
    assert plt.get_fignums()
    plt.close("all")


def test_there_are_examples():
    """The gallery is not empty."""
    assert EXAMPLES
