"""Facts about a whole document that its values depend on.

Title, publisher and date, the year the document reviews (a work report of
January 2025 reviews 2024) and the document's own region (which 我省/全市/该市
refer to). Read from the cleaned paragraphs, with ingest metadata as a hint.
"""
from __future__ import annotations

import re
from collections import Counter

from etl.catalog import gazetteer
from etl.clean import to_simplified
from etl.extract.periods import period_of
from etl.model import DocContext, Paragraph

__all__ = ["DocContext", "document_context"]

YEAR = r"((?:19|20)\d{2})"
DATE = re.compile(YEAR + r"\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
PUBLISHED_CUE = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|日期|时间)[:：]?\s*")
PUBLISHER = re.compile(r"(?:信息来源|来源|发布机构|发布单位|发文机关)[:：]\s*([^\s|]{2,30})")
# Phrases that name the year a document reviews, strongest first.
REVIEWED_YEAR = [
    re.compile(r"(?:系统)?(?:总结|回顾)了?" + YEAR + r"\s*年"),
    re.compile(YEAR + r"\s*年?(?:度)?[^。\n\d]{0,20}?(?:工作总结|工作情况|工作回顾|状况公报|环境状况|质量状况|统计公报|年报|总结)"),
    re.compile(YEAR + r"\s*年(?:度)?[^。\n]{0,6}?全年"),
]
TITLE_MAX_CHARS = 80
HEAD_CHARS = 600
OWN_REGION_CHARS = 60_000
RELATIVE_REVIEW = re.compile(r"过去一年|去年(?:工作|以来)|上一年度?工作")
# A document that opens by stating a period reports on that period: '2024年1—11月，全区…'
# (a dated line such as '2024年6月' under a title is not such a statement).
PERIOD_STATEMENT = re.compile(YEAR + r"\s*年\s*(\d{1,2}\s*[—–\-~～至]\s*\d{1,2}\s*月|\d{1,2}\s*月|上半年|前三季度|[一二三四]季度)"
                              r"\s*[,，]")


def document_context(paragraphs: list[Paragraph], title_hint: str | None = None,
                     published_hint: str | None = None) -> DocContext:
    head = "\n".join(p.simplified for p in paragraphs[:12])[:3000]
    title = title_hint or _title(paragraphs)
    published = published_hint or _published(head)
    publisher = (m.group(1) if (m := PUBLISHER.search(head)) else None)
    report_year, explicit = _report_year(paragraphs, title, published)
    region = _own_region(paragraphs, title)
    return DocContext(title, publisher, published, report_year, explicit, _default_months(head), *region)


def _default_months(head: str) -> str:
    m = PERIOD_STATEMENT.search(head[:1500])
    return (period_of(m.group(0)) or "1-12") if m else "1-12"


NOT_A_TITLE = re.compile(r"[>›»|]|首页|当前位置|您的位置|^[\W\d_]+$")


def _title(paragraphs: list[Paragraph]) -> str | None:
    """The first short line that is not a date line, a breadcrumb or a menu."""
    for p in paragraphs[:8]:
        t = p.text.strip()
        if (4 <= len(t) <= TITLE_MAX_CHARS and not PUBLISHED_CUE.match(t) and not t.endswith(("：", ":"))
                and not NOT_A_TITLE.search(t)):
            return t
    return paragraphs[0].text[:TITLE_MAX_CHARS] if paragraphs else None


def _published(head: str) -> str | None:
    cue = PUBLISHED_CUE.search(head)
    m = DATE.search(head, cue.end()) if cue else None
    if not m:  # a dated line under the title: (2025年1月14日), ——2024年1月10日在…大会上
        m = re.search(r"(?:[(（]|——|—)\s*" + DATE.pattern, head)
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    # as written; the pipeline checks it is a real date (and warns when it is not)
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


def _report_year(paragraphs: list[Paragraph], title: str | None, published: str | None) -> tuple[int | None, bool]:
    head = "\n".join([title or "", *(p.simplified for p in paragraphs[:40])])[:6000]
    head = to_simplified(head)
    for i, pattern in enumerate(REVIEWED_YEAR):
        years = [int(y) for y in pattern.findall(head)]
        if years:
            return Counter(years).most_common(1)[0][0], True
        if i == 1 and (m := PERIOD_STATEMENT.search(head[:1500])):
            return int(m.group(1)), True  # a periodic release: '2024年1—11月，全区…'
        if i == 1 and title and (m := re.search(YEAR + r"\s*年", to_simplified(title))):
            return int(m.group(1)), True  # '2024年10月全国环境空气质量状况'
    pub_year = int(published[:4]) if published else None
    if pub_year and RELATIVE_REVIEW.search(head):
        return pub_year - 1, True  # a dated report on '过去一年' / '去年工作'
    counts = Counter(int(y) for p in paragraphs for y in re.findall(YEAR + r"\s*年", p.simplified))
    if pub_year:
        counts = Counter({y: c for y, c in counts.items() if y <= pub_year})
    if counts:
        return counts.most_common(1)[0][0], False
    return (pub_year - 1 if pub_year else None), False


def _names_in(text: str) -> set[str]:
    return {r.name for r in gazetteer.find_regions(text) if r.level != "self"}


def _own_region(paragraphs: list[Paragraph], title: str | None) -> tuple[str, str | None, str]:
    """The region a document is about, which 全市/我省 refer to.

    A local region wins when the document speaks of itself (全市, 我省 …) and names
    that region near its top (洛阳市人民政府, 口市第五次党代会), or when it dominates
    the text; otherwise the document is national."""
    national = gazetteer.national()
    counts: Counter = Counter()
    in_head: set[str] = set()
    first_seen: dict[str, int] = {}
    self_refs: Counter = Counter()
    info: dict[str, gazetteer.RegionMention] = {}
    head_text = to_simplified(title or "")
    read = 0  # characters before the paragraph: 'near the top' is the title and the first HEAD_CHARS
    # the first OWN_REGION_CHARS are enough to tell, and keep a 50 MB document cheap
    sample, size = [], 0
    for p in paragraphs:
        if size > OWN_REGION_CHARS:
            break
        sample.append(p.simplified)
        size += len(p.simplified)
    for text in [head_text, *sample]:
        for r in gazetteer.find_regions(text):
            if r.level == "self":
                self_refs[r.self_ref] += 1
                continue
            counts[r.name] += 1
            info.setdefault(r.name, r)
            first_seen.setdefault(r.name, read + r.start)
            if text is head_text or read + r.start < HEAD_CHARS:
                in_head.add(r.name)
        if text is not head_text:
            read += len(text)
    # most mentioned first, a mention near the top counting extra; ties go to the first named
    local = sorted((n for n in counts if info[n].level in ("province", "prefecture", "county", "redacted")),
                   key=lambda n: (-(counts[n] + 3 * (n in in_head)), -counts[n], first_seen[n]))
    if not local:
        return national.name, national.code, national.level
    titled = {n for n in local if n in titled_names} if (titled_names := _names_in(head_text)) else set()
    if len(titled) == 1 and national.name not in titled_names:
        best = info[titled.pop()]
        return best.name, best.code, best.level  # '2023年四川省生态环境状况公报'
    # a document that says 全区/我省 (or 全市/该市) is about the province (or city) it names near its top
    for self_ref, levels in (("province", ("province",)), ("city", ("prefecture", "county", "redacted"))):
        if self_refs[self_ref] >= 2 and self_refs[self_ref] * 3 >= counts.get(national.name, 0):
            named = [n for n in local if info[n].level in levels and n in in_head]
            if named:
                best = info[named[0]]
                return best.name, best.code, best.level
    best = info[local[0]]
    runner_up = counts[local[1]] if len(local) > 1 else 0
    if counts[best.name] >= 3 and counts[best.name] >= 2 * max(runner_up, counts.get(national.name, 0)):
        return best.name, best.code, best.level
    return national.name, national.code, national.level
