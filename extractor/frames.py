"""pandas DataFrames of records (pandas is optional: `pip install 'zhgov-extractor[pandas]'`)."""
from __future__ import annotations

from .records import SPEC_FIELDS

#: the columns of a frame: the core fields, then the extra fields (docs/records.md)
EXTRA_COLUMNS = ("sentence", "rule", "change", "basis")


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError("to_frame needs pandas: pip install pandas "
                          "(or pip install 'zhgov-extractor[pandas]')") from None
    return pandas


def to_frame(documents, extra: bool = True):
    """One DataFrame of the records of `documents` (Documents, or one Document).

    `value` holds the exact Decimal (object column); `value_float` the float for sums and
    plots. Columns: the record fields of docs/records.md, in that order.
    """
    pd = _pandas()
    if hasattr(documents, "records"):          # one Document
        documents = [documents]
    cols = list(SPEC_FIELDS) + (list(EXTRA_COLUMNS) if extra else [])
    rows = [[getattr(r, c) for c in cols] for d in documents for r in d.records]
    frame = pd.DataFrame(rows, columns=cols)
    frame.insert(cols.index("value") + 1, "value_float", frame["value"].astype(float))
    return frame
