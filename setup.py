"""Build: the hot modules are compiled with mypyc where that works; pure Python otherwise.

The compiled modules are the same source (find, context, lexicon, numerals: the per-figure
work, about two thirds of the pipeline's time) and give the same records, about a quarter
faster. Set EXTRACTOR_PURE_PYTHON=1 to skip compiling (for an editable install that you edit:
compiled modules there would shadow your edits). Without mypy or a C compiler the install
falls back to pure Python by itself.
"""
import os
import sys

from setuptools import setup

COMPILED = ["extractor/find.py", "extractor/context.py", "extractor/lexicon.py", "extractor/numerals.py"]


def ext_modules():
    if os.environ.get("EXTRACTOR_PURE_PYTHON", "0") not in ("", "0") or sys.implementation.name != "cpython":
        return []
    try:
        from mypyc.build import mypycify
        exts = mypycify(COMPILED, opt_level="3")
    except (ImportError, SystemExit, Exception) as e:  # mypyc exits on a type error
        print(f"extractor: not compiling, installing pure Python ({type(e).__name__}: {e})", file=sys.stderr)
        return []
    for ext in exts:
        ext.optional = True  # no C compiler: setuptools warns and the .py modules are used
    return exts


setup(ext_modules=ext_modules())
