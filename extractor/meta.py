"""Document metadata for the panel (PANEL.md §1): region, level, kind, body, date.

Kind, title and date come from the document's structure (structure.py). The region is
the government the document speaks for, read from the title (2026年河北省政府工作报告),
the date line (——2016年2月19日在海拉尔区第十四届人民代表大会…), the speaker's line
(海拉尔区人民政府区长) or the opening (我代表国务院): a chain of place names keeps its
last one (呼伦贝尔市海拉尔区 → 海拉尔区); the State Council and the national congress are
全国. The level follows from the name (data/regions.yaml: the province-level names and
the suffixes of each level); a text that names no region (市工信委) gives the level of
its 市/省/县 and region null. The body is the department of a work summary.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Optional

from . import datafile
from .lexicon import alternation


from .structure import without_marker

_HAN = r"\u4e00-\u9fff"
_HEAD_CHARS = 3000      # the title, date line and opening are in the first characters
_BLANKS = re.compile(r"[ \t\u3000\xa0]+")
_LEVELS = ("province", "prefecture", "county")


@dataclass(frozen=True)
class Regions:
    """The place words of data/regions.yaml, compiled."""
    provinces: frozenset
    national: tuple
    suffix_level: dict      # suffix → level, longest first
    departments: tuple
    national_issuers: tuple
    not_bodies: tuple
    unit: re.Pattern        # one place name (海拉尔区)
    chain: str              # a run of place names (呼伦贝尔市海拉尔区), as a pattern


@functools.lru_cache(maxsize=None)
def regions() -> Regions:
    """data/regions.yaml, loaded and validated once."""
    data = datafile.load("regions")
    known = {"provinces", "national", "suffixes", "departments", "national_issuers", "not_bodies"}
    for k in data:
        if k not in known:
            raise ValueError(f"extractor/data/regions.yaml: {k}: unknown key")
    for k in known - set(data):
        raise ValueError(f"extractor/data/regions.yaml: {k}: missing")
    for k in data["suffixes"]:
        if k not in _LEVELS:
            raise ValueError(f"extractor/data/regions.yaml: suffixes.{k}: unknown level")
    suffix_level = {s: lv for lv, ss in data["suffixes"].items() for s in ss}
    suffix_level = dict(sorted(suffix_level.items(), key=lambda kv: -len(kv[0])))
    alt = alternation(suffix_level)
    unit = f"[{_HAN}]{{1,10}}?(?:{alt})(?![省市县区旗州盟])"   # 郑州市: not 郑州 + 市
    return Regions(frozenset(data["provinces"]), tuple(data["national"]), suffix_level,
                   tuple(sorted(data["departments"], key=len, reverse=True)),
                   tuple(data["national_issuers"]), tuple(data["not_bodies"]),
                   re.compile(unit), f"(?:{unit})+")


def _last_unit(chain: str, reg: Regions) -> str:
    """The last place of a chain: 内蒙古自治区呼伦贝尔市海拉尔区 → 海拉尔区."""
    units = reg.unit.findall(chain)
    return units[-1] if units else chain


def level_of(region: Optional[str]) -> Optional[str]:
    """national / province / prefecture / county from a region's name, None when unknown."""
    if not region:
        return None
    reg = regions()
    if region == "全国":
        return "national"
    if region in reg.provinces:
        return "province"
    for suffix, level in reg.suffix_level.items():
        if region.endswith(suffix):
            return level
    return None


def _head(text: str) -> str:
    """The document's first characters, folded, without blanks: where title and date line are."""
    from .indicators import fold
    return _BLANKS.sub("", fold(text[:_HEAD_CHARS]))


@functools.lru_cache(maxsize=None)
def _patterns():
    """The region patterns, in the order region_of tries them (title, date line, speaker, …)."""
    reg = regions()
    c = reg.chain
    national = "|".join(map(re.escape, reg.national))
    issuers = "|".join(map(re.escape, reg.national_issuers))
    return (
        # the title: [2026年]河北省政府工作报告, 郑州市财政局2025年工作总结
        ("title", re.compile(rf"^(?:\d{{4}}年度?)?({c})")),
        # the date line: 在海拉尔区第十四届人民代表大会, 在第十届全国人民代表大会
        ("date_line", re.compile(rf"在({c})?第[一二三四五六七八九十]+届(全国)?人民代表大会")),
        # the speaker's line and the opening: 海拉尔区人民政府区长, 我代表海拉尔区人民政府
        ("speaker", re.compile(rf"(?:^|\n|代表)({c})人民政府")),
        ("national", re.compile(rf"(?:代表|^)(?:{national})")),
        # a national issuer: 中共中央、国务院印发了…, 国务院关于…
        ("issuer", re.compile(rf"(?:{issuers})(?:、(?:{issuers}))*(?:印发|发布|批转|关于|近日)")),
    )


def region_of(title: Optional[str], text: str, headings=()) -> tuple:
    """(region or None, rule) of a document from its title, opening lines and headings."""
    reg = regions()
    title = (title or "").replace(" ", "")
    head = _head(text)
    pats = dict(_patterns())
    if any(w in title for w in reg.national[:1]):
        return "全国", "region:title-national"
    m = pats["title"].search(title) if title else None
    if m:
        return _last_unit(m.group(1), reg), "region:title"
    m = pats["date_line"].search(head)
    if m:
        if m.group(2):
            return "全国", "region:date-line-national"
        if m.group(1):
            return _last_unit(m.group(1), reg), "region:date-line"
    m = pats["speaker"].search(head)
    if m:
        return _last_unit(m.group(1), reg), "region:speaker"
    if pats["national"].search(head) or pats["issuer"].search(head):
        return "全国", "region:national"
    for h in headings[:8]:        # 一、全国一般公共预算收支情况
        h = without_marker(h.replace(" ", ""))
        if h.startswith("全国"):
            return "全国", "region:heading-national"
        m = pats["title"].search(h)
        if m and level_of(_last_unit(m.group(1), reg)) is not None:
            return _last_unit(m.group(1), reg), "region:heading"
    return None, "region:none"


_UNNAMED = re.compile(rf"(?<![{_HAN}])(省|市|县|区|旗|州|盟)(?=[{_HAN}]{{1,6}}?(?:委|局|厅|办))")


def _unnamed_level(text: str) -> Optional[str]:
    """The level of a government the text names only by its kind (市工信委 → prefecture)."""
    m = _UNNAMED.search(_head(text))
    return level_of("X" + m.group(1)) if m else None


def body_of(title: Optional[str], text: str, region: Optional[str]) -> Optional[str]:
    """The department of a work summary: 郑州市财政局2025年工作总结 → 财政局, 市工信委 → 工信委."""
    reg = regions()
    dept = "|".join(map(re.escape, reg.departments))
    if region == "全国":     # the national name keeps its 国家: 国家统计局, 国家发展和改革委员会
        rx = re.compile(rf"(?<![{_HAN}])(国家[{_HAN}]{{1,8}}?(?:{dept}))")
    else:
        lead = re.escape(region) if region else rf"(?<![{_HAN}])(?:省|市|县|区|旗|州|盟)"
        rx = re.compile(rf"{lead}([{_HAN}]{{1,8}}?(?:{dept}))")
    for src in ((title or "").replace(" ", ""), _head(text)):
        for m in rx.finditer(src):
            if not any(w in m.group(1) for w in reg.not_bodies):
                return m.group(1)
    return None


def document_meta(document) -> dict:
    """{region, level, kind, body, date} of an extracted Document (PANEL.md §1)."""
    st = document.structure
    title = st.title if st is not None else None
    kind = st.kind if st is not None else "other"
    region, _ = region_of(title, document.text, [s.heading for s in st.sections] if st is not None else ())
    level = level_of(region) if region else _unnamed_level(document.text)
    body = body_of(title, document.text, region) if kind == "work_summary" else None
    return {"region": region, "level": level, "kind": kind, "body": body,
            "date": st.date if st is not None else None}
