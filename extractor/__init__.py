"""extractor: structured records of the figures in Chinese government reports.

>>> import extractor
>>> doc = extractor.extract("2015年，全市地区生产总值增长7.5%，达到309亿元。")
>>> [(r.text, r.value, r.unit, r.dimension) for r in doc.records]
[('7.5%', Decimal('7.5'), '%', 'percentage'), ('309亿元', Decimal('30900000000'), '元', 'currency')]
"""
from .dedup import DedupIndex
from .errors import (BinaryFileError, DecodeError, ExtractorError, FileTooLargeError, InputError,
                     MissingFileError, SettingsError)
from .pipeline import Document, Extractor, default_extractor
from .panel import Panel, panel, panel_frame  # noqa: E402 - binds `panel` to the function
from .records import Record, Removed, Span
from .settings import Settings

__version__ = "0.1.0"
__all__ = ["extract", "extract_file", "load", "compiled_modules", "Extractor", "Document", "Record",
           "Removed", "Span", "Settings", "panel", "panel_frame", "Panel", "DedupIndex", "ExtractorError", "InputError", "MissingFileError",
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
