"""Build: the hot modules are compiled with mypyc where that works; pure Python otherwise.

The compiled modules are the same source (find, context, lexicon, numerals: the per-figure
work, most of the pipeline's time) and give the same records, faster. An editable install
(`pip install -e .`) is pure Python, since compiled modules beside the sources would shadow
every edit of them; EXTRACTOR_PURE_PYTHON=1 skips compiling for any install. Without mypy or
a C compiler the install falls back to pure Python by itself.

Everything is built under build/extractor-<hash of the sources and the build kind>, so a
build never picks up compiled modules left over from other sources (setuptools would copy
whatever a failed optional build left in a shared build folder).
"""
import glob
import hashlib
import os
import sys

from setuptools import setup

# the context package is compiled whole (its modules call each other's classes)
COMPILED = ["extractor/find.py", *sorted(glob.glob("extractor/context/*.py")), "extractor/lexicon.py",
            "extractor/numerals.py"]
EDITABLE = any(cmd in sys.argv for cmd in ("editable_wheel", "develop"))  # pip install -e .
PURE = (os.environ.get("EXTRACTOR_PURE_PYTHON", "0") not in ("", "0") or EDITABLE
        or sys.implementation.name != "cpython")


def build_dir() -> str:
    h = hashlib.sha256(f"{sys.version}|pure={PURE}".encode())
    for path in sorted(glob.glob("extractor/**/*", recursive=True)) + ["setup.py", "pyproject.toml"]:
        if os.path.isfile(path) and "__pycache__" not in path:
            h.update(path.encode())
            with open(path, "rb") as f:
                h.update(f.read())
    return os.path.join("build", "extractor-" + h.hexdigest()[:16])


def ext_modules(target: str):
    if PURE:
        return []
    try:
        from mypyc.build import mypycify
        exts = mypycify(COMPILED, opt_level="3", target_dir=target)
    except (ImportError, SystemExit, Exception) as e:  # mypyc exits on a type error
        print(f"extractor: not compiling, installing pure Python ({type(e).__name__}: {e})", file=sys.stderr)
        return []
    for ext in exts:
        ext.optional = True  # no C compiler: setuptools warns and the .py modules are used
    return exts


BUILD = build_dir()
setup(ext_modules=ext_modules(BUILD), options={"build": {"build_base": BUILD}})
