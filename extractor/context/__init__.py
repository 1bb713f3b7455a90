"""Context of each mention: role, metric, period, change, basis — and the rule that decided each.

The rules are named and listed in order in their modules, the way Duckling lists its rules:

  document.py  the frame of a figure's part of the document from its kind and sections
               (kind:communique, kind:five-year, heading, turn-year, turn-plan-period, turn-default, title)
  period.py    explicit-year, relative-year, from-base, then the frame's year, else none
  role.py      kind:communique, cue:named-target, cue:estimate-actual, cue:strong-actual, section:plan,
               cue:strong-target, section:review, default; then plan-past-year, report-year,
               goal-after
  metric.py    respectively, investment-object, investment-topic, rank-before, rank-subject,
               name-after, noun-after, comparison, needs-subject, phrase-before,
               shared-subject, subject-before, none (+embedded-figure, +with-subject)
  change.py    the direction and basis of a change
  annotate.py  ratio-part: a later number of a ratio (8.9：36.5：54.6) shares the first one's fields
  table.py     a flattened indicator table's cell: table-row (metric), table-column (role, period)

Each record carries the names in `why` (role, period, metric); a section rule names the frame
rule that set its section (section:plan/heading). The document's kind, title, date line, report
year and sections come from structure.py; cue words are in data/context.yaml.
"""
from .annotate import Context
from .cues import cues

__all__ = ["Context", "cues"]
