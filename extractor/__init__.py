"""extractor: structured records of the figures in Chinese government reports.

>>> import extractor
>>> doc = extractor.extract("2015年，全市地区生产总值增长7.5%，达到309亿元。")
>>> [(r.text, r.value, r.unit, r.dimension) for r in doc.records]
[('7.5%', Decimal('7.5'), '%', 'percentage'), ('309亿元', Decimal('30900000000'), '元', 'currency')]
"""
from ._version import __version__
from .dedup import DedupIndex
from .errors import (BinaryFileError, DecodeError, ExtractorError, FileTooLargeError, InputError,
                     MissingFileError, SettingsError)
from .pipeline import Document, Extractor, default_extractor
from .panel import Panel, panel, panel_frame  # noqa: E402 - binds `panel` to the function
from .records import Record, Removed, Span
from .settings import Settings

__all__ = ["extract", "extract_file", "load", "compiled_modules", "batch", "to_frame", "panel",
           "panel_frame", "Panel", "Extractor", "Document", "Record",
           "Removed", "Span", "Settings", "DedupIndex", "ExtractorError", "InputError", "MissingFileError",
           "BinaryFileError", "DecodeError", "FileTooLargeError", "SettingsError"]


def extract(text: str, doc: str = "<text>", **settings) -> Document:
    """Extract the quantity records of `text` (stateless: no memory between calls)."""
    return default_extractor(Settings.make(**settings) if settings else None).extract(text, doc)


def extract_file(path, doc: str | None = None, encoding: str | None = None, **settings) -> Document:
    """Read, decode and extract one file; `doc` defaults to the file's base name."""
    ex = default_extractor(Settings.make(**settings) if settings else None)
    return ex.extract_file(path, doc, encoding=encoding)


def load(**settings):
    """The whole configured spaCy Language: our jieba tokenizer plus the quantities component."""
    from .components import load_nlp
    return load_nlp(Settings.make(**settings) if settings else Settings())


def compiled_modules() -> list:
    """Names of this install's modules that run as compiled code (mypyc); [] when pure Python.

    >>> set(compiled_modules()) <= {"find", "context", "lexicon", "numerals"}
    True
    """
    import importlib.machinery
    from pathlib import Path
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    here = Path(__file__).parent
    names = {p.name.split(".")[0] for p in here.iterdir() if p.name.endswith(suffixes)}
    if any(p.name.endswith(suffixes) for p in (here / "context").iterdir()):
        names.add("context")  # a package of compiled modules
    return sorted(names)


def to_frame(documents, extra: bool = True):
    """One pandas DataFrame of the records of Documents (or of one Document).

    Columns: the record fields of docs/records.md, plus `value_float`; `value` keeps the
    exact Decimal. Needs pandas (`pip install 'zhgov-extractor[pandas]'`).
    """
    from .frames import to_frame as _to_frame
    return _to_frame(documents, extra)


def batch(paths, out, *, workers: int | None = None, format: str | None = None,  # noqa: A002
          glob: str = "*.txt", resume: bool = False, duplicates: str | None = None,
          encoding: str | None = None, errors: str = "strict", max_bytes: int | None = None,
          engine: str = "local", scheduler: str | None = None, quiet: bool = True,
          **settings) -> dict:
    """Run `extractor batch` from Python: every document of `paths` (files, folders walked
    recursively for `glob`) into the output file `out` (.jsonl, .csv, .parquet, .sqlite).

    workers     processes (None: one per core); engine 'local' or 'dask' (with `scheduler`)
    format      output format when `out`'s extension does not say it
    resume      skip documents already in `out` with the same content and settings
    duplicates  also write the removed duplicate spans to this JSON Lines file
    encoding    decode with this encoding instead of detecting it; errors 'replace' keeps
                files with undecodable bytes
    settings    pipeline options, as for Extractor (year=2016, dedup=False, lexicon=PATH…)

    Returns the run's figures: documents, records, failed, … and exit_code (0 all
    succeeded, 1 some documents failed). Raises ExtractorError for a bad option.
    """
    import argparse
    import contextlib
    import io
    import sys
    from .cli.batch import run_batch
    from .errors import ExtractorError
    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        paths = [paths]
    s = Settings.make(**settings)
    args = argparse.Namespace(
        inputs=[str(p) for p in paths], output=str(out), format=format, glob=glob,
        files_from=None, workers=workers, engine=engine, scheduler=scheduler, resume=resume,
        duplicates=duplicates, max_bytes=max_bytes, quiet=quiet, cross_document=s.cross_document,
        encoding=encoding, errors=errors)
    stats: dict = {}
    err = io.StringIO()
    with contextlib.redirect_stderr(err) if quiet else contextlib.nullcontext():
        code = run_batch(args, s, stats)
    if code == 2:
        msg = err.getvalue().strip().splitlines()
        raise ExtractorError(msg[0].removeprefix("extractor: ") if msg else "bad batch options")
    if quiet and code and err.getvalue():
        sys.stderr.write(err.getvalue())
    stats["exit_code"] = code
    return stats
