"""spaCy integration: the "quantities" pipeline component and the configured Language.

>>> import extractor
>>> nlp = extractor.load()
>>> doc = nlp("2015年，全市地区生产总值增长7.5%，达到309亿元。")
>>> [(s.text, s.label_, s._.value, s._.unit) for s in doc.spans["quantities"]]
[('7.5%', 'percentage', 7.5, '%'), ('309亿元', 'currency', 30900000000.0, '元')]

`nlp.add_pipe("quantities")` also works on any Language (the factory is exposed through
the `spacy_factories` entry point); each mention becomes a span of
`doc.spans["quantities"]` labelled with its dimension, with the record's fields as span
extensions (`span._.value`, `._.unit`, `._.bound`, `._.role`, `._.metric`, `._.period`).
Our tokenizer cuts jieba's words at every mention's edges, so each span's text is its
record's text (`4个`, never `4个委属`); with another tokenizer the offsets are expanded to
whole tokens. Every field: docs/records.md.
"""
from __future__ import annotations

from dataclasses import fields

from spacy.language import Language
from spacy.tokens import Doc

from .segment import register as _register_tokenizer
from .spans import EXTENSIONS, SPANS_KEY, register_extensions, set_spans, to_spacy  # noqa: F401
from .settings import Settings

TOKENIZER = "extractor.JiebaTokenizer.v1"


def _settings_config(settings: Settings) -> dict:
    """The settings that differ from the defaults, as a config-friendly dict."""
    default = Settings()
    return {f.name: getattr(settings, f.name) for f in fields(Settings)
            if getattr(settings, f.name) != getattr(default, f.name)}


class QuantitiesComponent:
    """Runs our Extractor on doc.text and stores the mentions as spans."""

    def __init__(self, nlp: Language | None = None, name: str = SPANS_KEY,
                 spans_key: str = SPANS_KEY, settings: dict | None = None):
        self.name = name
        self.spans_key = spans_key
        self.settings = dict(settings or {})
        Settings.make(**self.settings)  # validate now, not on the first document
        self._extractor = None
        register_extensions()

    @property
    def extractor(self):
        if self._extractor is None:
            from .pipeline import Extractor
            self._extractor = Extractor(Settings.make(**self.settings))
        return self._extractor

    def __call__(self, doc: Doc) -> Doc:
        register_extensions()  # in a worker process of nlp.pipe(n_process=...) too
        document = self.extractor.extract(doc.text, doc=doc.user_data.get("doc_id", "<text>"))
        return set_spans(doc, document.records, self.spans_key)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_extractor"] = None
        return state


@Language.factory("quantities", default_config={"spans_key": SPANS_KEY, "settings": {}},
                  assigns=["doc.spans"], retokenizes=False)
def make_quantities(nlp: Language, name: str, spans_key: str, settings: dict):
    """The "quantities" factory: `nlp.add_pipe("quantities", config={"settings": {...}})`."""
    return QuantitiesComponent(nlp, name, spans_key=spans_key, settings=settings)


_register_tokenizer()


def load_nlp(settings: Settings | None = None) -> Language:
    """spacy.blank("zh") with our jieba tokenizer (user dictionary) and the component."""
    import spacy
    settings = settings or Settings()
    _register_tokenizer()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER,
                                                          "kind": settings.segmenter}}})
    nlp.add_pipe("quantities", config={"settings": _settings_config(settings)})
    return nlp


