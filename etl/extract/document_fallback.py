"""The document's own year and region, lent to values that name neither.

A value the reader found may still have no year (an undated page that never writes its year
where the values stand: '1-6月,全省…' under a lead on '2018年上半年', a bulletin named
'2023中国…公报' with no 年) or no region (a work summary whose place is named once, in the
sentence that opens its results, while the rest says 全市/我局). Without them the value cannot
be charted and the export drops it. When the page as a whole names exactly one year (one place)
it is about, that one is lent to them; when its candidates disagree, nothing is.

A value placed this way records 'document' as how its year or region was decided and gets a
confidence just above the export cut (FALLBACK_CONFIDENCE): the weakest kind of evidence that is
still worth charting.
"""
from __future__ import annotations

import functools
import re
from collections import Counter

from etl import catalog
from etl.catalog import gazetteer
from etl.clean import to_simplified
from etl.catalog.lineage import county_words_only, one_lineage
from etl.extract.datelines import YEAR, dateline_like
from etl.extract.periods import is_comparison_year, year_of_dated_period
from etl.model import DocContext, Metric, Paragraph

__all__ = ["FALLBACK_CONFIDENCE", "document_region", "document_year", "lend_document_facts"]

FALLBACK_CONFIDENCE = 0.55   # just above export.DEFAULT_MIN_CONFIDENCE (0.5)
HEAD_PARAGRAPHS = 8
OWN_REGION_PARAGRAPHS = 200   # how far a page is read for the places and self words it names
# a title closing on its year in brackets: '某县生态环境状况公报(2019)'
BRACKET_YEAR = re.compile(r"[(（]\s*" + YEAR + r"\s*(?:年度?)?\s*[)）]\s*$")
REPORT_WORDS = re.compile(r"报告|公报|通报|状况|情况|质量|简况|年报|总结")
# a stated year: not a full date (the day something happened), not one year of a span
STATED_YEAR = re.compile(YEAR + r"\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号])")
SPAN_BEFORE = re.compile(r"(?:19|20)\d{2}\s*年?\s*[—–\-~～至到、和及]\s*$")
SPAN_AFTER = re.compile(r"\s*[—–\-~～至到、]\s*(?:19|20)?\d{2}")
# a year with the part of it a release covers: '2018年上半年', '2024年1-6月', '2022年第三季度'
YEAR_AND_PERIOD = re.compile(YEAR + r"\s*年度?\s*(?:的)?\s*(?:[上下]半年|前三季度|第?[一二三四1-4]季度|前\s*\d{1,2}\s*个?月"
                             r"|\d{1,2}\s*(?:[—–\-~～至到]\s*\d{1,2}\s*)?月)")
SIGNED_PARAGRAPHS = 4
# counted up to a day: '截至12月21日', '截止到9月底'
COUNTED_TO = re.compile(r"(?:截至|截止)(?:到|至)?\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]|底|末)?")
SINCE_YEAR = re.compile(YEAR + r"\s*年\s*以来")
# a paragraph that opens on its year, '2021年,全市…', or is nothing but it, '(2019年度)', '2022年第8期'
# (an issue's number) under a title
OPENING_YEAR = re.compile(r"^\s*[(（]?\s*" + YEAR + r"\s*年度?\s*(?:第\s*\d{1,3}\s*期)?\s*(?:[，,]|[)）]?\s*$)")
# one year the page keeps stating, against any other it names now and then
DOMINANT_TIMES, DOMINANT_RATIO = 3, 3
# a figure with its unit: the sentence holding the first one opens the page's results
VALUE = re.compile(r"\d(?:\.\d+)?\s*(?:%|％|微克|毫克|μg|ug|天|个|万|亿|吨|件|起|公顷|亩|分贝)")


@functools.cache
def _patterns() -> dict[str, re.Pattern]:
    """The cue patterns, from cues.toml [document_fallback]."""
    cues = catalog.cues()["document_fallback"]
    reports = "|".join(map(re.escape, cues["report_names"]))
    return {
        # a report named with its year, 年 or not: '2023中国生态环境状况公报', '2019年度…统计年报'
        "named_report": re.compile(YEAR + r"\s*(?:年度?)?\s*[^。\n\d，,；;:：]{0,20}?(?:" + reports + ")"),
        # an issuing body and the day it signed, on one line at the foot of a page
        "signed_by_issuer": re.compile(r"[\u4e00-\u9fff]{2,24}(?:" + "|".join(map(re.escape, cues["issuer_words"]))
                                       + r")\s*" + YEAR + r"\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$"),
        # the page's one year is a value's only where its sentence does not count from another
        # ('去年…为85%' on a page that reviews 2023 is 2022's)
        "relative_year": re.compile(r"(?<![较比与同])(?:" + "|".join(map(re.escape, cues["relative_years"]))
                                    + r")(?!\s*同期)"),
        # a headline opening on a place's name and then its year or period ('某城市2024年第三季度…');
        # not a part of a place (中心城区) nor a self word (全市)
        "titled_unknown_place": re.compile(
            r"^\s*((?![全我本该各其])[\u4e00-\u9fff]{1,3}(?:[市县旗]|(?<![" + cues["not_a_district_before"] + r"])区))\s*(?="
            + YEAR + r"\s*年|[上下]半年|第?[一二三四]季度|\d{1,2}\s*月)"),
    }


# --- year ----------------------------------------------------------------------------------

def document_year(paragraphs: list[Paragraph], ctx: DocContext) -> tuple[int, bool] | None:
    """(the one year the page is about, whether it holds only for a part of that year), or None:
    the year of the report it names at its top ('发布《2023中国…公报》', '…公报(2019)'), and the
    year its statements name (the only one, or one named three times as often as all others
    together); they must agree. A year after the page's date is no year it reviews."""
    title = to_simplified(ctx.title or "")
    head = [title, *(p.simplified for p in paragraphs[:HEAD_PARAGRAPHS])]
    named = {int(m.group(1)) for t in head for m in _patterns()["named_report"].finditer(t) if not is_comparison_year(t, m)}
    if (m := BRACKET_YEAR.search(title)) and REPORT_WORDS.search(title):
        named.add(int(m.group(1)))
    stated = _stated_years(paragraphs)
    candidates = set(named)
    if stated:
        (top, times), *others = stated.most_common()
        rest = sum(c for _, c in others)
        # (a year said once counts where the top of the page says it of a part of the year: '通报
        # 各地2018年上半年…' over values under '1-6月'; once in passing, '2023年全国…', it does not)
        # (or where a paragraph at the top opens on it, '2021年,我市…', or is nothing but it)
        once = times >= 2 or any(int(m.group(1)) == top for t in head
                                 for m in (*YEAR_AND_PERIOD.finditer(t), *OPENING_YEAR.finditer(t)))
        if (not others and once) or (times >= DOMINANT_TIMES and times >= DOMINANT_RATIO * rest):
            candidates.add(top)
        elif not named:
            return None   # years that compete: which one a value is of, the page does not say
    if not candidates and not stated and ctx.published:
        return None   # a dated page that states no year: only values counted to a date (lend_document_facts)
    if not candidates and not stated:
        # an undated page whose only year is the one its top counts from ('2016年以来,…' over a
        # release on 上半年): the part of that year it reports on (None for a whole year's value)
        since = {int(m.group(1)) for t in head for m in SINCE_YEAR.finditer(t)}
        return (since.pop(), True) if len(since) == 1 else None
    if len(candidates) != 1:
        return None
    year = candidates.pop()
    published = int(ctx.published[:4]) if ctx.published else None
    return None if published is not None and year > published else (year, False)


def _signed_by_issuer(paragraphs: list[Paragraph], ctx: DocContext) -> str | None:
    """An undated page whose foot signs it on one line, issuer and day ('某县生态环境局 2023年7月6日'):
    that day (ISO), if exactly one such line stands there."""
    if ctx.published:
        return None
    found = [f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
             for p in paragraphs[-SIGNED_PARAGRAPHS:] if (m := _patterns()["signed_by_issuer"].match(p.simplified.strip()))]
    return found[0] if len(found) == 1 else None


def _date_by_signature(unplaced: list[Metric], signed: str) -> None:
    """Date the part-year values ('上半年', '8月') by the day the page was signed: the months just ended."""
    for m in unplaced:
        if (year := year_of_dated_period(m.months, signed)) is not None:
            m.year, m.year_source = year, "document"
            m.confidence = round(min(FALLBACK_CONFIDENCE, m.confidence + 0.2), 2)


def _dated_to_a_day(paragraphs: list[Paragraph], ctx: DocContext) -> tuple[int, None] | None:
    """A dated page that states no year at all: its date's year, for values counted up to a day
    of it ('截至12月21日,…达347天' on a page of 12-24) and for no others (None marks that)."""
    if not ctx.published or _stated_years(paragraphs) or document_year(paragraphs, ctx) is not None:
        return None
    return int(ctx.published[:4]), None


def _counted_to(before: str, ctx: DocContext) -> bool:
    """The paragraph counts its values up to a day no later than the page's date."""
    found = list(COUNTED_TO.finditer(before))
    if not found or not ctx.published or len(ctx.published) < 10:
        return False
    month, day = int(found[-1].group(1)), int(found[-1].group(2) or 1)
    return (month, day) <= (int(ctx.published[5:7]), int(ctx.published[8:10]))


def _stated_years(paragraphs: list[Paragraph]) -> Counter:
    counts: Counter = Counter()
    for p in paragraphs:
        text = p.simplified
        if dateline_like(text):
            continue
        for m in STATED_YEAR.finditer(text):
            if not (is_comparison_year(text, m) or SPAN_BEFORE.search(text, max(0, m.start() - 8), m.start())
                    or SPAN_AFTER.match(text, m.end(1))):
                counts[int(m.group(1))] += 1
    return counts


def lend_document_facts(metrics: list[Metric], paragraphs: list[Paragraph], ctx: DocContext) -> list[Metric]:
    """Give the page's one year to the levels the reader found no year for (year_source
    'unresolved'), unless their sentence counts from another year (去年, 同期) or the page is a
    repost whose 今年 no one can date; and hold every value placed by the document's fallback
    region (region_source 'document', document_region) just above the export cut."""
    for m in metrics:
        # (a table's values take the document's region without saying so: 'default')
        if m.region_source == "document" or (ctx.region_source == "document" and m.region_source == "default"
                                             and m.region == ctx.region):
            m.region_source = "document"
            m.confidence = min(m.confidence, FALLBACK_CONFIDENCE)
    unplaced = [m for m in metrics if m.year is None and m.year_source == "unresolved" and m.kind == "actual"]
    # (where the page states the year it reviews, a value the reader left undated was left so on purpose)
    if not unplaced or ctx.relative_undated or ctx.report_year_explicit:
        return metrics
    found = document_year(paragraphs, ctx)
    texts = {p.seq: p.text for p in paragraphs}
    if found is None and (signed := _signed_by_issuer(paragraphs, ctx)):
        _date_by_signature(unplaced, signed)
        return metrics
    if found is None:
        found = _dated_to_a_day(paragraphs, ctx)
        if found is None:
            return metrics
    year, part_only = found
    headline = (ctx.title or "").strip()
    for m in unplaced:
        if headline and texts.get(m.paragraph_seq, "").strip() == headline and "。" not in headline:
            continue   # a headline's figure restates the text's, rounded ('…覆盖率超25%' over 25.09%)
        sentence = texts.get(m.paragraph_seq, "")[m.evidence_start:m.evidence_end]
        if _patterns()["relative_year"].search(to_simplified(sentence)) or (part_only and m.months == "1-12"):
            continue
        if found[1] is None and not _counted_to(to_simplified(texts.get(m.paragraph_seq, "")[:m.para_start]), ctx):
            continue
        m.year, m.year_source = year, "document"
        m.confidence = round(min(FALLBACK_CONFIDENCE, m.confidence + 0.2), 2)
    return metrics


# --- region --------------------------------------------------------------------------------

def document_region(paragraphs: list[Paragraph], title: str | None) -> tuple[str, str, str, str] | None:
    """For a page that speaks of itself (全市, 我局) without the context stage telling which
    region it is: the one place its headline and the first sentence that gives a value name
    together (a province and a city in it name the city), if it fits the words the page calls
    itself by (a 全县 page is no prefecture's). None when they name none, or several."""
    texts = [title or ""]
    first = _first_value_sentence(paragraphs)
    if first:
        texts.append(first)
    found = [r for t in texts for r in gazetteer.find_regions(to_simplified(t)) if r.level != "self"]
    national = gazetteer.national()
    if not found and (unknown := _unknown_titled_place(to_simplified(title or ""), paragraphs)):
        return unknown, None, "redacted", "document"   # (kept as written, as a redacted name is)
    if all(r.level == "grouping" for r in found) and _national_network(paragraphs):
        return national.name, national.code, national.level, "document"
    if not found or any(r.code == national.code or r.level not in ("province", "prefecture", "county")
                        for r in found):
        return None
    unique = list({r.code: r for r in found}.values())
    place = one_lineage(unique)
    if place is None:
        return None
    self_words = _self_words(paragraphs)
    if place.level == "prefecture" and county_words_only(self_words):
        return None
    return place.name, place.code, place.level, "document"


def _unknown_titled_place(title: str, paragraphs: list[Paragraph]) -> str | None:
    """A headline opening on a place the gazetteer does not hold, then its period ('某城市2024年第三季度…
    状况': a county-level city left out because ordinary phrases hold its name, a new district), on
    a page that calls itself by the same kind of place (我市 for a 市): that place, as written."""
    m = _patterns()["titled_unknown_place"].match(title)
    if m is None or not REPORT_WORDS.search(title) or (m.group(1).endswith("城市") and len(m.group(1)) > 3):
        return None   # ('重点城市2024年…': a kind of city, not one)
    kind = m.group(1)[-1]
    return m.group(1) if any(kind in word for word in _self_words(paragraphs)) else None


def _national_network(paragraphs: list[Paragraph]) -> bool:
    """The page names the country's monitoring network and no place (a basin, a multi-province area
    aside), and never calls itself 全市/全省."""
    network = catalog.cues()["region"]["national_network"]
    texts = [p.simplified for p in paragraphs[:OWN_REGION_PARAGRAPHS]]
    if not any(word in t for t in texts for word in network):
        return False
    return not any(r.level not in ("country", "grouping") for t in texts for r in gazetteer.find_regions(t))


def _first_value_sentence(paragraphs: list[Paragraph]) -> str | None:
    """The first sentence of the text that states a value ('1-12月,某市优良天数357天')."""
    for p in paragraphs[:HEAD_PARAGRAPHS * 2]:
        text = p.simplified
        if "|" in text:
            continue
        for sentence in re.split(r"(?<=[。；;])", text):
            if VALUE.search(sentence):
                return sentence
    return None


def _self_words(paragraphs: list[Paragraph]) -> Counter:
    words: Counter = Counter()
    for p in paragraphs[:OWN_REGION_PARAGRAPHS]:
        words.update(r.name for r in gazetteer.find_regions(p.simplified) if r.level == "self")
    return words
