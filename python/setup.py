"""Builds the tinykws Python package for pip: CMake compiles the extension
module from this repository's sources (python/CMakeLists.txt, the static
runtime libraries; no LibTorch), setuptools packages it with tinykws/.

    pip install --no-build-isolation ./python

Environment: CMAKE_BUILD_PARALLEL_LEVEL (compile jobs, default: all CPUs);
TINYKWS_PIP_BUILD_DIR (a CMake build folder to keep and reuse between
installs, default: one under python/build/).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

REPO = Path(__file__).resolve().parent.parent


def project_version():
    """The version of the top-level CMake project: its only home."""
    text = (REPO / "CMakeLists.txt").read_text()
    match = re.search(r"project\(tinykws\s+VERSION\s+([0-9][0-9.]*)", text)
    if not match:
        raise RuntimeError(f"no 'project(tinykws VERSION ...)' in "
                           f"{REPO / 'CMakeLists.txt'}")
    return match.group(1)


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    """Configures the repository with only the library and the module on,
    builds the module's target and copies it where setuptools wants it."""

    def build_extension(self, ext):
        build_dir = Path(os.environ.get("TINYKWS_PIP_BUILD_DIR") or
                         Path(self.build_temp).resolve() / "cmake")
        build_type = "Debug" if self.debug else "Release"
        subprocess.run([
            "cmake", "-S", str(REPO), "-B", str(build_dir),
            f"-DCMAKE_BUILD_TYPE={build_type}",
            "-DTINYKWS_BUILD_TESTS=OFF", "-DTINYKWS_BUILD_APPS=OFF",
            "-DTINYKWS_BUILD_TRAIN=OFF", "-DTINYKWS_BUILD_BENCH=OFF",
            "-DTINYKWS_BUILD_PYTHON=ON", "-DTINYKWS_PYTHON_REQUIRED=ON",
            # The interpreter pip runs is the one the module is for.
            f"-DPython_EXECUTABLE={sys.executable}",
        ], check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(
            os.cpu_count() or 1)
        subprocess.run(["cmake", "--build", str(build_dir), "--target",
                        "_tinykws", "--parallel", jobs], check=True)
        suffix = self.get_ext_filename("_tinykws")  # _tinykws.cpython-...so
        built = build_dir / "python" / "tinykws" / Path(suffix).name
        if not built.is_file():
            raise RuntimeError(f"CMake built no {built}")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(
    version=project_version(),
    packages=["tinykws"],
    ext_modules=[CMakeExtension("tinykws._tinykws")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
