"""One frozen, validated settings object for the pipeline."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, asdict, fields

from .errors import SettingsError

SEGMENTERS = ("auto", "jieba", "rjieba")


@dataclass(frozen=True)
class Settings:
    """Pipeline settings. Every field is part of the batch fingerprint.

    dedup                 remove duplicated paragraphs and passages before extraction
    near_threshold        similarity (difflib ratio: 2 x matched / total characters) from
                          which two paragraphs with the same figures are near-duplicates
    min_passage_chars     shortest repeated passage (or paragraph) that is removed;
                          shorter repeats (headings, 各位代表：) are kept
    min_passage_sentences shortest run of repeated sentences removed inside a paragraph
    cross_document        'document' or 'paragraph': what a batch run remembers across documents
    context               fill metric, period and role
    segmenter             'auto' (rjieba when installed, else jieba), 'jieba' or 'rjieba'
    year                  the report's year when the text does not say it (None: infer)
    max_bytes             files larger than this are refused
    lexicon               a user's lexicon file (YAML) merged over the packaged data
                          (units, classifiers, cues, vetoes…: see extractor/userdata.py);
                          its content is part of the fingerprint
    """

    dedup: bool = True
    near_threshold: float = 0.85
    min_passage_chars: int = 40
    min_passage_sentences: int = 2
    cross_document: str = "document"
    context: bool = True
    segmenter: str = "auto"
    year: int | None = None
    max_bytes: int = 64 * 1024 * 1024
    lexicon: str | None = None

    def __post_init__(self):
        if not 0.0 < self.near_threshold <= 1.0:
            raise SettingsError("near_threshold must be in (0, 1]")
        if self.min_passage_chars < 1 or self.min_passage_sentences < 1:
            raise SettingsError("min_passage_chars and min_passage_sentences must be positive")
        if self.cross_document not in ("document", "paragraph"):
            raise SettingsError("cross_document must be 'document' or 'paragraph'")
        if self.segmenter not in SEGMENTERS:
            raise SettingsError(f"segmenter must be one of {SEGMENTERS}")
        if self.year is not None and not 1900 <= int(self.year) <= 2100:
            raise SettingsError(f"year must be between 1900 and 2100, not {self.year}")
        if self.max_bytes < 1:
            raise SettingsError("max_bytes must be positive")
        if self.lexicon is not None:
            from pathlib import Path
            if not Path(self.lexicon).is_file():
                raise SettingsError(f"lexicon {self.lexicon}: no such file")
            object.__setattr__(self, "lexicon", str(self.lexicon))

    @classmethod
    def make(cls, **overrides) -> "Settings":
        """Settings with `overrides`; unknown names raise SettingsError."""
        names = {f.name for f in fields(cls)}
        unknown = set(overrides) - names
        if unknown:
            raise SettingsError(f"unknown settings: {', '.join(sorted(unknown))}")
        return cls(**overrides)

    def fingerprint(self) -> str:
        """A short hash of the settings that change records (segmenter does not)."""
        d = asdict(self)
        d.pop("segmenter")
        d.pop("max_bytes")
        if self.lexicon:
            from .userdata import file_hash
            d["lexicon"] = file_hash(self.lexicon)   # the content, not the path
        else:
            d.pop("lexicon")                          # fingerprints of runs without one unchanged
        return hashlib.sha1(json.dumps(d, sort_keys=True).encode()).hexdigest()[:12]
