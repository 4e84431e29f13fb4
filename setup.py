"""Build the compiled kernels; everything else is in pyproject.toml."""

from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    ext_modules=cythonize(
        [
            Extension(
                "sklinear.optimizers._dual_cd_fast",
                ["sklinear/optimizers/_dual_cd_fast.pyx"],
                extra_compile_args=["-O3"],
            ),
            Extension(
                "sklinear.optimizers._sgd_fast",
                ["sklinear/optimizers/_sgd_fast.pyx"],
                extra_compile_args=["-O3"],
            ),
        ],
        compiler_directives={"language_level": 3},
    )
)
