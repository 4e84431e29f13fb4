"""The main job, ``python -m sklinear``."""

import re
import subprocess
import sys

import pytest

from sklinear.__main__ import main


def test_main_job_prints_the_comparison_table(capsys):
    """Both classifiers and both scikit-learn references get a row with an accuracy."""
    assert main([]) == 0
    out = capsys.readouterr().out
    rows = [
        line
        for line in out.splitlines()
        if line.startswith(("sklinear", "scikit-learn"))
    ]
    assert len(rows) == 4
    for row in rows:
        name, accuracy, objective, n_iter, seconds = re.split(r"\s{2,}", row.strip())
        assert 0.9 < float(accuracy) <= 1.0
        assert int(n_iter) >= 1 and float(seconds) > 0


def test_verbose_prints_iterations(capsys):
    """--verbose shows the optimizers' per-iteration lines."""
    assert main(["--verbose", "--alpha", "1e-2"]) == 0
    assert "[lbfgs] iteration 1, objective" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--alpha", "-1"], ["--test-size", "2"]])
def test_bad_arguments_exit_with_status_2(argv):
    """Bad options are a one-line usage error (argparse), not a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "sklinear", *argv], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "error:" in result.stderr and "Traceback" not in result.stderr
