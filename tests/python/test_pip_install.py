"""`pip install --no-build-isolation ./python` from a clean copy of the
repository into a fresh venv (Debian's setuptools, numpy from the system
site-packages, nothing downloaded), then the installed module is imported
and used from outside the source tree.

The copy is the files git knows (tracked, and new ones not ignored), as a
clone of this working tree would have them. TINYKWS_PIP_TEST_DIR (ctest
sets a folder of the build tree) keeps the copy and its CMake build between
runs: a first run compiles the runtime (minutes on two cores), later runs
only what changed since. Unset, everything is made in a temporary folder.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import tinykws
from conftest import MODELS, REPO

USE_MODULE = """
import sys, numpy as np, tinykws
assert tinykws.__file__.startswith(sys.prefix), tinykws.__file__
model = tinykws.Model(sys.argv[1])
label, scores = model.classify(np.zeros(16000, np.int16))
assert scores.dtype == np.float32 and scores.shape == (2,)
print(tinykws.__version__, model.labels, label)
"""


def source_files():
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others",
         "--exclude-standard"], capture_output=True, check=True).stdout
    return [name for name in listed.decode().split("\0") if name]


def copy_repository(destination):
    """Copies the files, keeping their times (an unchanged file is not
    rebuilt), and removes what is no longer there."""
    wanted = set()
    for name in source_files():
        source = REPO / name
        if not source.is_file():  # deleted in the working tree
            continue
        wanted.add(name)
        target = destination / name
        if (target.is_file() and
                target.stat().st_mtime_ns == source.stat().st_mtime_ns and
                target.stat().st_size == source.stat().st_size):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    for path in destination.rglob("*"):
        relative = path.relative_to(destination).as_posix()
        if (path.is_file() and relative not in wanted and
                not relative.startswith("python/build/") and
                ".egg-info/" not in relative):
            path.unlink()


def test_pip_install_into_a_venv_and_import(tmp_path):
    work = Path(os.environ.get("TINYKWS_PIP_TEST_DIR") or tmp_path)
    source = work / "source"
    source.mkdir(parents=True, exist_ok=True)
    copy_repository(source)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages",
                    str(venv)], check=True)
    python = venv / "bin" / "python"
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # the build tree's module must not be seen
    env["TINYKWS_PIP_BUILD_DIR"] = str(work / "cmake-build")
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-build-isolation",
         "--no-index", "--disable-pip-version-check", str(source / "python")],
        capture_output=True, env=env, timeout=1500, check=False)
    assert install.returncode == 0, (install.stdout.decode()[-4000:] +
                                     install.stderr.decode()[-4000:])
    with tempfile.TemporaryDirectory() as elsewhere:
        used = subprocess.run(
            [str(python), "-c", USE_MODULE, str(MODELS["tuned"])],
            capture_output=True, env=env, cwd=elsewhere, timeout=60,
            check=False)
    assert used.returncode == 0, used.stderr.decode()
    version, labels = used.stdout.decode().split(" ", 1)
    assert version == tinykws.__version__
    assert labels.startswith("['go', 'stop']")
    shown = subprocess.run([str(python), "-m", "pip", "show", "tinykws"],
                           capture_output=True, env=env, check=True)
    assert b"Requires: numpy" in shown.stdout
