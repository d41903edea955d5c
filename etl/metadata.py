"""Facts about a whole document that its values depend on.

Title, publisher and date, the year the document reviews (a work report of
January 2025 reviews 2024) and the document's own region (which 我省/全市/该市
refer to). Read from the cleaned paragraphs, with ingest metadata as a hint.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from etl import regions as region_finder
from etl.model import Paragraph

YEAR = r"((?:19|20)\d{2})"
DATE = re.compile(YEAR + r"\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
PUBLISHED_CUE = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|日期|时间)[:：]?\s*")
PUBLISHER = re.compile(r"(?:信息来源|来源|发布机构|发布单位|发文机关)[:：]\s*([^\s|]{2,30})")
# Phrases that name the year a document reviews, strongest first.
REVIEWED_YEAR = [
    re.compile(r"(?:系统)?(?:总结|回顾)了?" + YEAR + r"\s*年"),
    re.compile(YEAR + r"\s*年(?:度)?[^。\n]{0,20}?(?:工作总结|工作情况|工作回顾|状况公报|环境状况|质量状况|统计公报|年报|总结)"),
    re.compile(YEAR + r"\s*年(?:度)?[^。\n]{0,6}?全年"),
]
TITLE_MAX_CHARS = 80


@dataclass
class DocContext:
    title: str | None
    publisher: str | None
    published: str | None          # YYYY-MM-DD
    report_year: int | None        # the year the document mainly reviews
    report_year_explicit: bool     # stated by the document ('总结2024年…'), not guessed from frequency
    region: str                    # canonical region name, '全国' for national documents
    region_code: str | None
    region_level: str


def document_context(paragraphs: list[Paragraph], title_hint: str | None = None,
                     published_hint: str | None = None) -> DocContext:
    head = "\n".join(p.simplified for p in paragraphs[:12])[:3000]
    title = title_hint or _title(paragraphs)
    published = published_hint or _published(head)
    publisher = (m.group(1) if (m := PUBLISHER.search(head)) else None)
    report_year, explicit = _report_year(paragraphs, title, published)
    region = _own_region(paragraphs, title)
    return DocContext(title, publisher, published, report_year, explicit, *region)


def _title(paragraphs: list[Paragraph]) -> str | None:
    for p in paragraphs[:8]:
        t = p.text.strip()
        if 4 <= len(t) <= TITLE_MAX_CHARS and not PUBLISHED_CUE.match(t) and not t.endswith(("：", ":")):
            return t
    return paragraphs[0].text[:TITLE_MAX_CHARS] if paragraphs else None


def _published(head: str) -> str | None:
    cue = PUBLISHED_CUE.search(head)
    m = DATE.search(head, cue.end()) if cue else None
    if not m:  # a dated line under the title: (2025年1月14日)
        m = re.search(r"[(（]\s*" + DATE.pattern + r"\s*[)）]", head)
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


def _report_year(paragraphs: list[Paragraph], title: str | None, published: str | None) -> tuple[int | None, bool]:
    head = "\n".join([title or "", *(p.simplified for p in paragraphs[:40])])[:6000]
    from etl.clean import to_simplified
    head = to_simplified(head)
    for pattern in REVIEWED_YEAR:
        years = [int(y) for y in pattern.findall(head)]
        if years:
            return Counter(years).most_common(1)[0][0], True
    pub_year = int(published[:4]) if published else None
    counts = Counter(int(y) for p in paragraphs for y in re.findall(YEAR + r"\s*年", p.simplified))
    if pub_year:
        counts = Counter({y: c for y, c in counts.items() if y <= pub_year})
    if counts:
        return counts.most_common(1)[0][0], False
    return (pub_year - 1 if pub_year else None), False


def _own_region(paragraphs: list[Paragraph], title: str | None) -> tuple[str, str | None, str]:
    """The region a document is about: named in its title, else clearly dominant in its text."""
    from etl.clean import to_simplified
    national = region_finder.national()
    if title:
        named = [r for r in region_finder.find_regions(to_simplified(title)) if r.level != "country"]
        if len({r.name for r in named}) == 1:
            return named[0].name, named[0].code, named[0].level
    counts: Counter = Counter()
    info = {}
    for p in paragraphs:
        for r in region_finder.find_regions(p.simplified):
            counts[r.name] += 1
            info[r.name] = r
    local = [(n, c) for n, c in counts.most_common() if info[n].level not in ("country", "grouping")]
    if local:
        name, count = local[0]
        runner_up = local[1][1] if len(local) > 1 else 0
        if count >= 3 and count >= 2 * counts.get(national.name, 0) and count >= 2 * runner_up:
            r = info[name]
            return r.name, r.code, r.level
    return national.name, national.code, national.level
