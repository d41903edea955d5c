"""Facts about a whole document that its values depend on.

Title, publisher and publication date (from every dateline form: '发布时间:2023-05-25',
'来源:某网2025-04-24', a bare '2022-08-26 09:53 某网' under the title), the year and
period(s) the document reviews (its lead: '通报了2022年8月和1—8月…', '今年前5月', a title
'7月份空气质量…' dated by its dateline) and the document's own region (which 我省/全市/该市
refer to). Each fact records how it was decided (DocContext.*_source), so that every value
can say where its year, period and region came from. Read from the cleaned paragraphs,
with ingest metadata as a hint.

Fallbacks when the page does not anchor itself: an undated page takes its year from the captions
of its tables ('表2 2024年9月…', or the line right above a table), which also dates the months
its lead names; an excerpt that opens on its first sentence has no headline below it; a page that
speaks of itself (全县) and never of the country is never national, and a county's words never
name the one prefecture it mentions.
"""
from __future__ import annotations

import re
from collections import Counter

from etl import catalog
from etl.catalog import gazetteer
from etl.clean import to_simplified
from etl.extract.title_periods import period_line_lead, title_lead
from etl.extract.footnote_periods import footnote_period
from etl.extract.lead_dates import lead_date
from etl.extract.restated_titles import restated_title
from etl.extract.whole_year_leads import up_to_whole_year
from etl.extract.cued_dates import labelled_date
from etl.extract.set_apart import set_apart
from etl.extract.datelines import (DATE, SIGNED_TAIL_PARAGRAPHS, TIME, YEAR, dated_line_under_title, dateline,
                                   dateline_like, release_year, repost_year, signed_date)
from etl.extract.document_fallback import document_region
from etl.extract.periods import is_comparison_year, name_last_month, period_of, stated_periods, year_of_dated_period
from etl.catalog.branch_office import branch_district
from etl.catalog.filing_place import filed_own_region
from etl.catalog.tabled_place import tabled_own_region
from etl.catalog.titled_place import body_province, overruled_headline, titled_short_county
from etl.catalog.yardstick_country import is_yardstick, not_national
from etl.catalog.lineage import (county_words_only, fits_self_words, one_lineage, province_words_only, qualified_names,
                                  qualifies_next, within)
from etl.model import DocContext, Paragraph

__all__ = ["DocContext", "document_context"]

PUBLISHED_CUE = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|更新时间|日期|时间)[:：]?\s*")
# (a page's metadata table writes it as a row: '发布机构 | 某区生态环境局 |')
# an issuing body named on the dateline without a cue word
ISSUING_BODY = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:生态环境厅|生态环境局|环境保护厅|环境保护局|环保厅|环保局|人民政府"
                          r"|环境监测站|环境监测中心站|生态环境监测中心))(?![\u4e00-\u9fff]{0,4}分局)")
PUBLISHER = re.compile(r"(?:信息来源|来源|发布机构|发布单位|发文机关)[ \t]*(?:[:：]|\|)[ \t]*([^\s|]{2,30})")   # on its line
HEAD_PARAGRAPHS = 15
LEAD_PARAGRAPHS = 4        # the lead is the opening sentence of one of the first paragraphs
# Phrases that name the year a document reviews, strongest first.
REVIEWED_YEAR = [
    re.compile(r"(?:系统)?(?:总结|回顾)了?" + YEAR + r"\s*年"),
    re.compile(YEAR + r"\s*年?(?:度)?[^。\n\d]{0,20}?(?:工作总结|工作情况|工作回顾|公报|环境状况|质量状况|质量简况|统计公报|年报|总结)"),
    re.compile(YEAR + r"\s*年(?:度)?[^。\n]{0,6}?全年"),
]
TITLE_MAX_CHARS = 80
# a page whose every statement names one and the same year (this many times at least) reviews
# that year, even where a sentence names none ('●2021年全省…' bullets, the next line without it)
ONE_YEAR_MENTIONS = 3
HEAD_CHARS, OWN_REGION_CHARS = 600, 60_000
ISSUER_LINE_MAX_CHARS, CLOSING_PARAGRAPHS = 30, 4   # a signing body's line, among the last paragraphs
# the country by name, not inside a body's or a site's name (中国气象局, a brand's '某(中国)官方网站')
CHINA = re.compile(r"中国(?![\u4e00-\u9fff()（）]{0,8}?(?:总站|局|部|院|会|公司|集团|网|报|社|台|中心|协会|大学|银行|站))")
RELATIVE_REVIEW = re.compile(r"过去一年|去年(?:工作|以来)|上一年度?工作")

# --- the lead: the period(s) a release reports on -------------------------------------------
# one period: '1—8月', '1至4月', '1月至3月', '8月份', '前5月', '前4个月', '上半年', '第三季度(7—9月)'
_PERIOD = (r"(?:\d{1,2}\s*月?\s*[—–\-~～至到]\s*\d{1,2}\s*月份?|\d{1,2}\s*月份?|(?<![一二两三四五六七八九十])(?:十[一二]?|[一二三四五六七八九])\s*月份?"
           r"|前\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,3})\s*个?\s*月份?|[上下]半年|前三季度|第?[一二三四1-4]季度)"
           r"(?:\s*[(（][^()（）]{1,8}[)）])?")
_PERIODS = rf"({_PERIOD}(?:\s*(?:和|及|与|、)\s*{_PERIOD})*)(?!\s*\d{{1,2}}\s*[日号])(?![\d月])"
# a year before them: '2022年', '2021年度', a year glued to its month ('20219月'), 今年/去年
# (or to its half or quarter with no 年 between: '2022上半年', '2024一季度')
_LEAD_YEAR = (r"(?:((?:19|20)\d{2})\s*年度?|((?:19|20)\d{2})(?=\d{1,2}\s*月|\s*(?:[上下]半年|前三季度|第?[一二三四]季度))"
              r"|(今年|本年|去年|上年))\s*(?:的)?\s*")
LEAD_WITH_YEAR = re.compile(_LEAD_YEAR + _PERIODS)
# a title that names its period in brackets after the report's name: '某省…声环境质量状况(2014年第一季度)'
TITLE_PERIOD_AFTER = re.compile(r"\s*[)）]\s*$")
# a line that is nothing but the period, under the title: '(2023年9月)' (group 3 is empty)
PERIOD_LINE = re.compile(r"[(（]?\s*(?:((?:19|20)\d{2})\s*年度?|((?:19|20)\d{2})(?=\d{1,2}\s*月))()\s*" + _PERIODS
                         + r"\s*[)）]?")
LEAD_ANNOUNCED = re.compile(r"(?:通报|发布|公布|公开)了?\s*(?:(?:" + catalog.cue_pattern("lead", "announced_subject").pattern + r")\s*的?\s*)?" + _PERIODS)
# a dated news item whose opening sentence starts on the period: '1-9月,某县城区优良天数262天'
# (or on the period and the place: '六月份某县环境空气质量…')
LEAD_OPENING = re.compile(r"^\s*" + _PERIODS + r"\s*(?:(?:以来|期间)?\s*[，,]|(?=[\u4e00-\u9fff]{1,8}?(?:省|市|县|区|州|盟|旗)))")
# (or opening on its place: '某市9月份大气环境质量出炉')
TITLE_OPENING = re.compile(r"(?:^|[:：]|^\s*[\u4e00-\u9fff]{2,8}?(?:市|县|区|州|盟|旗))\s*" + _PERIODS)   # '7月份空气质量…', '某部：前2月全国…'
# a lead sentence reports results: it holds a value or names a state of the environment
# ('2023年4月，市政府印发…' dates an event and is no lead)
REPORTS_RESULTS = re.compile(r"\d\s*(?:%|％|微克|毫克|个百分点|天)|状况|质量|通报|公报|优良|浓度|水质|空气|噪声|声环境|监测报告")
# ('生态环境部今天发布的2022年1月~10月全国…状况显示': the period of what was published; an official
# notice's '现将2017年9月份全县环境质量状况报告如下'; the name it publishes: '特发布《2024年第三季度…公报》')
CLAUSE_START = re.compile(r"(?:^|[，,。；;：:“\"(（\s]|(?:通报|发布|公布|公开)了?的?\s*(?:(?:" + catalog.cue_pattern("lead", "announced_subject").pattern + r")\s*的?)?《?|介绍|显示|了|(?:^|[，,])对|现将)\s*$")
# a title that opens with its place and then the period: '某市2024年11月环境质量月报'
TITLE_PLACE = re.compile(r"\s*[\u4e00-\u9fff]{1,10}(?:市|省|县|区|州|盟|旗|全国)\s*")
LEAD_BARE_YEAR = re.compile(r"(?:^|[，,：:]|介绍|显示|获悉)\s*" + YEAR + r"\s*年\s*[，,]")
# (one a source is cited for, '公报显示,2023年,': the year of a scrambled page's lead, wherever it stands)
CITED_BARE_YEAR = re.compile(r"(?:介绍|显示|获悉)\s*[，,：:]?\s*" + YEAR + r"\s*年\s*[，,]")
# a year a title names, not the year of a date printed in it ('数读 某省 2022年06月17日')
TITLE_YEAR = re.compile(YEAR + r"\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
# the caption of a table or a figure: '表1 …', '附表2：…', '图3  …' (checked on the first paragraphs)
CAPTION_LINE = re.compile(r"^\s*(?:附\s*)?(?:表|图)\s*[\d一二三四五六七八九十]{1,3}(?:\s*[-.．]\s*\d{1,2})?(?![\d年])\s*[:：.、]?\s*\S")
CAPTION_MAX_CHARS = 60
CAPTION_PARAGRAPHS = 400
# the end of a span of years ('规划(2021—2035年)'): a plan's horizon, no year under review
SPAN_END = re.compile(r"(?:19|20)\d{2}\s*年?\s*[—–\-~～至到]\s*$")
# a date followed by who said what ('2020年9月某部门负责人表示,'): no period reviewed
SPEECH_AFTER = re.compile(r"[^，,。；;0-9]{0,30}?(?:表示|指出|介绍|透露|强调|说)\s*[，,:：]")
# the month statistics were taken ('到了2019年6月统计数据,全省湿地保护率达51.3%'): no period reviewed
AS_OF_DATA = re.compile(r"\s*(?:的)?\s*(?:统计数据|统计|数据显示)")
# a date something started or was set up at ('于2018年5月底建成了…体系', '从2018年11月起每月…通报'): no period reviewed
SINCE_OR_SET_UP = re.compile(r"\s*(?:起|开始|(?:底|末)(?=[^，,。；;]{0,12}?(?:建成|建立|启动|上线|投运|印发|出台)))")
RELATIVE_LEAD = {"今年": 0, "本年": 0, "去年": -1, "上年": -1}

# a breadcrumb names the site's channel, not the story ('您现在的位置:某某网 某市', '您所在的位置:')
BREADCRUMB = re.compile(r"当前位置|您的位置|现在的位置|所在位置|位置\s*[:：]")
NOT_A_TITLE = re.compile(r"[>›»|]|首页|" + BREADCRUMB.pattern + r"|^[\W\d_]+$|^\s*<|。.|^\s*\[\s*[\u4e00-\u9fff ]{2,10}\]\s*\S|"
                         r"^\s*(?:来源|信息来源|作者|编辑|责编|责任编辑|关键词|标签)\s*[:：]")
# a row of a page's metadata table ('索引号:…  组配分类:…', '发布机构:…  发文日期:…'): never the headline,
# even where it quotes the headline after '名称:' with other fields beside it
METADATA_ROW = re.compile(r"索引号|组配分类|主题分类|文件编号|发文字号|发布机构|发文机关|成文日期|发文日期|公开方式|公开范围")
REPORT_WORDS = re.compile(r"报告|公报|通报|状况|情况|质量|简况|快报|月报|年报")
# a numbered section heading ('一、工作回顾', '(一)生态环境质量持续改善') is never the headline
SECTION_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）])")
# a byline or a subtitle between the headline and the date ('生态环境部部长 某某', '——在…会议上的
# 工作报告'): not the headline itself
BYLINE = re.compile(r"^\s*[—-]{1,2}|(?:部长|厅长|局长|主任|书记|省长|市长|县长|区长|记者|作者|通讯员)\s*[\u4e00-\u9fff·]{2,4}\s*$")
SPAM_SEPARATORS = re.compile(r"[,，]|(?<=[\u4e00-\u9fff])-(?=[\u4e00-\u9fff])")


def document_context(paragraphs: list[Paragraph], title_hint: str | None = None,
                     published_hint: str | None = None) -> DocContext:
    head_paras = [p.simplified for p in paragraphs[:HEAD_PARAGRAPHS]]
    head = "\n".join(head_paras[:12])[:3000]
    dateline_at, last_dateline_at, dated = dateline(head_paras)
    published = published_hint or dated or dated_line_under_title(head) or labelled_date(head_paras)   # '…发布时间：2023-06-08 …。'
    # a page may sign itself below its text ('2020年8月11日', '（2021年5月）'): the date of a page dated
    # nowhere at its top, and the original's date where a repost's own dateline is later
    signed = signed_date([p.simplified for p in paragraphs[1:][-SIGNED_TAIL_PARAGRAPHS:]])
    if signed and len(signed) == 10 and not published_hint and (published is None or signed < published):
        published = signed
    dated_on = published or (f"{signed}-01" if signed else None)   # a signed month dates what it reports
    dated_on = dated_on or lead_date(head_paras[1:])   # a text opening '2023年5月16日，…通报1至4月…' (not its dateline)
    title_at, title = restated_title(paragraphs, *_title(paragraphs, dateline_at), title_hint)
    publisher = (m.group(1) if (m := PUBLISHER.search(head)) else None)
    pub_year = int(dated_on[:4]) if dated_on else None
    top = max(i for i in (last_dateline_at, title_at, -1) if i is not None) + 1   # where the body starts
    # an undated page dates the months its lead names by the year its tables' captions give
    captioned = _caption_year(paragraphs) if pub_year is None else None
    lead = _lead(name_last_month(to_simplified(title or "") if title_at is not None or title_hint else "", dated_on),
                 up_to_whole_year([name_last_month(t, dated_on) for t in head_paras[top:top + LEAD_PARAGRAPHS]]), pub_year or captioned,
                 dated_on)
    if lead and captioned and lead[2] == "dateline":
        lead = (lead[0], lead[1], "heading")
    lead = lead or period_line_lead(head_paras[top:])   # '(2031年6月)' under the title, below chrome lines
    report_year, explicit, year_source = _report_year(paragraphs, title, dated_on, lead,
                                                      head_paras[top:top + LEAD_PARAGRAPHS])
    if not explicit and (noted := footnote_period([p.simplified for p in paragraphs])):   # '以上数据为2021年1月1日至6月30日均值'
        (report_year, explicit, year_source), lead = (noted[0], True, "heading"), lead or (noted[0], [noted[1]], "heading")
    lead = lead or title_lead(to_simplified(title or ""), report_year, year_source)   # '…2019年7月份城市排名'
    region = _own_region(paragraphs, title,
                         head_paras[:max(dateline_at or 0, title_at or 0) + 3] + _closing_issuer(paragraphs))
    if region[3] == "unresolved":   # (the one place its headline and first result name: document_fallback)
        region = document_region(paragraphs, title) or region
    region = branch_district(to_simplified(title or ""), "".join(p.simplified for p in paragraphs)) or region   # '某市…局甲分局'
    periods = lead[1] if lead else ()
    anchor = pub_year or release_year(lead, head_paras[:top + LEAD_PARAGRAPHS])   # undated: the title's or lead's year
    # (a page dated years after the year it states it reviews: 今年 is the original's)
    repost, original = repost_year(report_year if explicit and year_source in ("title", "lead") else None,
                                   periods[0] if periods else "1-12", pub_year, head_paras[top:top + LEAD_PARAGRAPHS])
    anchor = original if repost else anchor
    return DocContext(title, publisher, published, report_year, explicit, periods[0] if periods else "1-12",
                      *region[:3], report_year_source=year_source,
                      months_source=lead[2] if lead and periods else "default", region_source=region[3],
                      anchor_year=anchor, lead_periods=tuple(periods),
                      relative_undated=repost and original is None,
                      overruled_region=overruled_headline(head_paras[:max(dateline_at or 0, title_at or 0) + 2], region),
                      stated_periods=stated_periods(_head_texts(paragraphs)))


# --- publication date and title --------------------------------------------------------------


def _title(paragraphs: list[Paragraph], dateline_at: int | None) -> tuple[int | None, str | None]:
    """The headline: the last acceptable line above the dateline, else the first one (not a date
    line, a breadcrumb, a menu, tag debris or a spam list of phrases)."""
    ok = [i for i, p in enumerate(paragraphs[:8]) if _could_be_title(p.text.strip())]
    if not ok:   # a page that opens with its metadata table ('索引号 | … |', '发布机构 | … |')
        ok = [i for i, p in enumerate(paragraphs[8:HEAD_PARAGRAPHS], 8) if _could_be_title(p.text.strip())]
    # a headline stands above the text: a page whose excerpt opens on its first sentence has none
    # (the lines after that sentence are its body: '二氧化硫平均浓度为6…;', a table's caption)
    # (or a sentence too long for a headline, ending on its stop: a subheading after it is no title)
    opening = next((i for i, p in enumerate(paragraphs[:HEAD_PARAGRAPHS])
                    if ("。" in p.text.strip()[:-1] or _closed_sentence(p.text.strip()))
                    and REPORTS_RESULTS.search(p.text)), None)
    if opening is not None:
        ok = [i for i in ok if i < opening]
    if dateline_at is not None and (above := [i for i in ok if i < dateline_at
                                              and not BYLINE.search(paragraphs[i].text)]):
        return above[-1], paragraphs[above[-1]].text.strip()
    # a line naming a report wins over the issuer's name above it ('某省发展和改革委员会' / '关于…的报告')
    named = [i for i in ok[:3] if REPORT_WORDS.search(paragraphs[i].simplified)]
    if named or ok:
        i = (named or ok)[0]
        return i, paragraphs[i].text.strip()
    # (a breadcrumb, '您现在的位置:某网 某市', is no headline even in want of one: its place is the site's)
    if paragraphs and BREADCRUMB.search(paragraphs[0].text):
        return None, None
    return None, (paragraphs[0].text[:TITLE_MAX_CHARS] if paragraphs else None)


def _closed_sentence(t: str) -> bool:
    """A line longer than any headline that ends on a full stop: a sentence of the text."""
    return len(t) > TITLE_MAX_CHARS and t.endswith("。")


def _could_be_title(t: str) -> bool:
    return (4 <= len(t) <= TITLE_MAX_CHARS and not PUBLISHED_CUE.match(t) and not t.endswith(("：", ":"))
            and not SECTION_HEADING.match(t)
            and not NOT_A_TITLE.search(t) and len(SPAM_SEPARATORS.findall(t)) < 3 and not _only_a_date(t)
            and not METADATA_ROW.search(to_simplified(t)))


def _issuer_line(t: str) -> bool:
    """'某市生态环境局' alone on its line: the body that signs a notice at its foot."""
    return len(t.strip()) <= ISSUER_LINE_MAX_CHARS and bool(ISSUING_BODY.fullmatch(t.strip()))


def _closing_issuer(paragraphs: list[Paragraph]) -> list[str]:
    """The issuer signing the notice on one of its last lines (above its date, if any)."""
    return [p.simplified.strip() for p in paragraphs[-CLOSING_PARAGRAPHS:] if _issuer_line(p.simplified)]


def _only_a_date(t: str) -> bool:
    """'2023-10-30', '2025年01月19日 15:11:00': a dateline, not a headline."""
    return bool(DATE.search(t)) and not re.sub(r"[\s|:：/]", "", TIME.sub("", DATE.sub("", t)))


# --- the lead: year and periods under review -------------------------------------------------

def _lead(title: str, opening: list[str], pub_year: int | None,
          published: str | None = None) -> tuple[int | None, list[str], str] | None:
    """(year, periods, source) the title or the opening sentences announce: '2022年8月和1—8月',
    '今年前5月' (dated by the dateline), a title opening '7月份空气质量…', '一季度我国…'."""
    # the opening sentence of the first paragraphs (a period named further on is a detail)
    body = [t[:t.find("。") + 1 or 400][:400] for t in opening]
    found: list[tuple[int | None, list[str], str]] = []
    for text, source in [(title, "title"), *((t, "lead") for t in body)]:
        if (m := PERIOD_LINE.fullmatch(text.strip())) and source == "lead":   # '(2023年9月)' under the title
            found.append((int(m.group(1) or m.group(2)), _periods(m.group(4)), "title"))
            break
        for m in LEAD_WITH_YEAR.finditer(text):
            if SPAN_END.search(text, max(0, m.start() - 8), m.start()):
                continue   # '规划(2021—2035年)': the end of a plan's span
            if SPEECH_AFTER.match(text, m.end()) or AS_OF_DATA.match(text, m.end()) or SINCE_OR_SET_UP.match(text, m.end()):
                continue   # '2021年12月某副部长表示,…': the date of a statement, no period reviewed
            # (a heading line under the title, '某县2017年9月份环境质量状况', opens on its place too)
            headline = source == "title" or ("。" not in text and len(text) <= TITLE_MAX_CHARS)
            if not (_is_lead_statement(text, m, cued=headline and bool(TITLE_PLACE.fullmatch(text[:m.start()])))
                    or (source == "title" and TITLE_PERIOD_AFTER.match(text, m.end()) and REPORTS_RESULTS.search(text))):
                continue
            year, year_source = _lead_year(m, source, pub_year)
            found.append((year, _periods(m.group(4)), year_source))
        # (a body that opens on its period counts when the page is dated, in its first sentence)
        first = next((t for t in body if "。" in t or len(t) >= 40), None)   # (not '原标题:…')
        opens = (LEAD_OPENING,) if pub_year is not None and text is first else ()
        for pattern in ((TITLE_OPENING, LEAD_ANNOUNCED) if source == "title" else (LEAD_ANNOUNCED, *opens)):
            if (m := pattern.search(text)) and _is_lead_statement(text, m, cued=True):
                found.append((None, _periods(m.group(1)), source))
        if found:
            break
    if not found:
        return None
    year = next((f for f in found if f[0] is not None), None)
    periods = found[0][1]
    if year is not None:
        return year[0], periods, year[2]
    # no year stated: the release is dated, and reports on months before its date
    # ('8月和1—8月', published 2022-09-20: 2022; '12月', published in January: the year before)
    for text, source in [(title, "title"), *((t, "lead") for t in body)]:  # a year stated in the lead
        if (m := next((m for m in LEAD_WITH_YEAR.finditer(text) if not SINCE_OR_SET_UP.match(text, m.end())), None)) \
                and m.group(1):                                             # ('2022年8月和1—8月全国…')
            return int(m.group(1)), periods, source
    if pub_year is None:
        return None, periods, found[0][2]
    # (a period ending after the date's month is the year before's, however long ago)
    dated = year_of_dated_period(periods[0], published, max_gap=12) if published and periods else None
    return dated or pub_year, periods, "dateline"


def _is_lead_statement(text: str, m: re.Match, cued: bool = False) -> bool:
    """A period that opens a clause (or follows 通报/发布: `cued`) in a sentence that reports results."""
    sentence_end = text.find("。", m.end())
    sentence = text[m.start():sentence_end if sentence_end >= 0 else len(text)]
    return (cued or bool(CLAUSE_START.search(text[:m.start()]))) and bool(REPORTS_RESULTS.search(sentence))


def _lead_year(m: re.Match, source: str, pub_year: int | None) -> tuple[int | None, str]:
    if m.group(1) or m.group(2):
        return int(m.group(1) or m.group(2)), source
    if pub_year is None:
        return None, source
    return pub_year + RELATIVE_LEAD[m.group(3)], "dateline"   # 今年 against the publication date


def _periods(text: str) -> list[str]:
    """'8月和1—8月' -> ['8', '1-8']; '第三季度(7—9月)和1—9月' -> ['7-9', '1-9']."""
    out = []
    for part in re.split(r"\s*(?:和|及|与|、)\s*", re.sub(r"[(（][^()（）]*[)）]", "", text)):
        if part and (months := period_of(part)) and months not in out:
            out.append(months)
    return out


def _report_year(paragraphs: list[Paragraph], title: str | None, published: str | None,
                 lead: tuple[int | None, list[str], str] | None,
                 opening: list[str] = ()) -> tuple[int | None, bool, str]:
    """(year, stated by the document, how it was decided)."""
    if lead and lead[0] is not None:
        return lead[0], True, lead[2]
    simple_title = to_simplified(title or "")
    head = to_simplified("\n".join([title or "", *(p.simplified for p in paragraphs[:40])])[:6000])
    for pattern in REVIEWED_YEAR:
        years = [int(y) for y in pattern.findall(head)]
        if years:
            year = Counter(years).most_common(1)[0][0]
            return year, True, "title" if str(year) in "".join(pattern.findall(simple_title)) else "lead"
    if title and (m := next((m for m in TITLE_YEAR.finditer(simple_title) if not is_comparison_year(simple_title, m)
                             and not SPAN_END.search(simple_title, max(0, m.start() - 8), m.start())), None)):
        return int(m.group(1)), True, "title"  # '2024年全国生态环境质量简况'
    pub_year = int(published[:4]) if published else None
    if pub_year is None and (year := _lead_bare_year(opening)):
        return year, True, "lead"   # an undated page whose lead reads '…介绍,2022年,全国空气质量…'
    if pub_year is None and (year := _caption_year(paragraphs)):
        return year, True, "heading"   # an undated page whose table says '表2 2024年9月全县…浓度表'
    if pub_year and RELATIVE_REVIEW.search(head):
        return pub_year - 1, True, "dateline"  # a dated report on '过去一年' / '去年工作'
    if pub_year and _past_year_report(simple_title, opening, published):
        return pub_year - 1, True, "dateline"  # '政府工作报告说,…' on a page of March
    counts = _stated_years(paragraphs)
    if pub_year:
        counts = Counter({y: c for y, c in counts.items() if y <= pub_year})
    if len(counts) == 1 and (year := next(iter(counts))) and counts[year] >= ONE_YEAR_MENTIONS \
            and (pub_year is None or pub_year - 1 <= year):
        return year, True, "default"   # a page that speaks of one year only, again and again
    if pub_year is None and len(counts) == 1 and _lead_bare_year(_head_texts(paragraphs), CITED_BARE_YEAR) in counts:
        return next(iter(counts)), True, "lead"   # an undated page whose one year a source opens, wherever it stands
    if counts:
        return counts.most_common(1)[0][0], False, "default"
    return (pub_year - 1 if pub_year else None), False, "default"


# the text whole-document facts are read from: the context of a very long document read in
# segments comes from its first one, so it reads no further than this
HEAD_CHARS = 6000


def _head_texts(paragraphs: list[Paragraph]) -> list[str]:
    """The simplified paragraphs that start within the first HEAD_CHARS characters."""
    out, seen = [], 0
    for p in paragraphs:
        if seen >= HEAD_CHARS:
            break
        out.append(p.simplified)
        seen += len(p.simplified)
    return out


def _past_year_report(title: str, opening: list[str], published: str) -> bool:
    """A page dated in the first months of a year whose title or lead names a report on the year
    before (cues.toml year.past_year_report)."""
    cues = catalog.cues()["year"]
    if len(published) < 7 or int(published[5:7]) > cues["past_year_report_last_month"]:
        return False
    return any(word in text for word in cues["past_year_report"] for text in [title, *opening])


def _lead_bare_year(opening: list[str], pattern: re.Pattern = LEAD_BARE_YEAR) -> int | None:
    """The year that opens a clause of the first sentence of the lead, followed by results:
    '某部1月17日举行发布会介绍,2022年,全国优良天数比例为86.5%'."""
    for text in opening:
        sentence = text[:text.find("。") + 1 or 400][:400]
        m = pattern.search(sentence)
        if m and REPORTS_RESULTS.search(sentence, m.end()):
            return int(m.group(1))
    return None


def _caption_year(paragraphs: list[Paragraph]) -> int | None:
    """The latest year that the captions of an undated page's tables and figures name
    ('表2 2024年9月全县空气主要污染物浓度表', '图3 2022年1-8月全省…'), a base year or a goal
    ('较2020年', '到2025年') not counted: the page reports on that year even where its prose,
    above the table, names months only ('11月份月均浓度为56')."""
    years = []
    head = paragraphs[:CAPTION_PARAGRAPHS]
    for i, p in enumerate(head):
        text = p.simplified.strip()
        if len(text) > CAPTION_MAX_CHARS or "。" in text:
            continue
        # '表1 …', or an unnumbered line right above a table ('某县2022年4月空气质量同比数据' over
        # '时间 |')
        above_table = (i + 1 < len(head) and "|" in head[i + 1].text and not re.search(r"[，,；;|]", text))
        if not (CAPTION_LINE.match(text) or above_table):
            continue
        years += [int(m.group(1)) for m in TITLE_YEAR.finditer(text) if not is_comparison_year(text, m)]
    return max(years) if years else None


def _stated_years(paragraphs: list[Paragraph]) -> Counter:
    """How often each year is the year of a statement: comparison bases (较2015年, 比2020年下降,
    2013年以来) and goals (到2025年) do not count, or a 2021 report reads as its base year."""
    counts: Counter = Counter()
    for p in paragraphs:
        text = p.simplified
        if dateline_like(text):
            continue   # a dateline ('数读 某省 2022年06月17日') states when, not what year is reviewed
        for m in re.finditer(YEAR + r"\s*年", text):
            if not is_comparison_year(text, m):
                counts[int(m.group(1))] += 1
    return counts


# --- the document's own region ---------------------------------------------------------------

def _municipality(r: gazetteer.RegionMention, self_ref: str) -> bool:
    """北京市, 天津市, 上海市, 重庆市: provinces that their reports call 全市."""
    return self_ref == "city" and r.level == "province" and r.name.endswith("市")


def _fits(name: str, level: str, self_words: Counter) -> bool:
    """A county named near the top is what 全县/我县 mean, not 全市/我市 (a city report lists its
    counties first): a county-level name fits a 市 word only if it is a city itself (某某市)."""
    if level != "county":
        return True
    city_words = sum(c for w, c in self_words.items() if "市" in w)
    county_words = sum(c for w, c in self_words.items() if "县" in w or "区" in w)
    return county_words >= city_words or name.endswith("市")


def _names_in(text: str) -> set[str]:
    return {r.name for r in gazetteer.find_regions(text)
            if r.level != "self" and not is_yardstick(text, r, after_too=False)}   # ('通过“全国…平台”')


Region = tuple[str | None, str | None, str, str]   # name, code, level, how it was decided


def _own_region(paragraphs: list[Paragraph], title: str | None, dateline_lines: list[str]) -> Region:
    """The region a document is about, which 全市/我省 refer to.

    A local region wins when the title names it; when the document speaks of itself (全市,
    我省 …) and its dateline or its top names the region (来源：某市生态环境局, 洛阳市人民政府),
    or every place it names lies in one province; or when it dominates the text; or when the
    text never names the country (an honour, 全国文明城市, does not count) and names one place,
    alone or with the regions it lies in (a county named once: '…这是福建省光泽县…'). A document
    that keeps speaking of itself without ever saying which region it is stays unresolved
    (never 全国); otherwise it is national."""
    national = gazetteer.national()
    counts: Counter = Counter()
    in_head: set[str] = set()
    first_seen: dict[str, int] = {}
    self_refs: Counter = Counter()
    self_words: Counter = Counter()   # 全市, 我县 …: a 市 word is not about a county named near the top
    info: dict[str, gazetteer.RegionMention] = {}
    head_text = to_simplified(title or "")
    yardsticks = 0   # the country named only as what a local figure is set against (yardstick_country.py)
    read = 0  # characters before the paragraph: 'near the top' is the title and the first HEAD_CHARS
    # the first OWN_REGION_CHARS are enough to tell, and keep a 50 MB document cheap
    sample, size = [], 0
    for p in paragraphs:
        if size > OWN_REGION_CHARS:
            break
        sample.append(p.simplified)
        size += len(p.simplified)
    for text in [head_text, *sample]:
        found = gazetteer.find_regions(text)
        for i, r in enumerate(found):
            if r.level == "self":
                if r.self_ref == "area":
                    continue   # '该区域' points back at an area named in the text, never at the document's own
                self_words[r.name] += 1   # (a department releasing the figures counts only below: listed)
                self_refs.update([r.self_ref] if r.self_ref != "province_release" else [])
                continue
            if qualifies_next(text, found, i) or gazetteer.national_honour(text, r) or set_apart(text, r):
                continue  # '福建省光泽县' names the county; '全国文明城市' is an honour; '除甲市…外' the others
            if is_yardstick(text, r):
                yardsticks += 1   # '高于全国平均水平': counted only when the page names the country otherwise too
                continue
            counts[r.name] += 1
            info.setdefault(r.name, r)
            first_seen.setdefault(r.name, read + r.start)
            if text is head_text or read + r.start < HEAD_CHARS:
                in_head.add(r.name)
        if text is not head_text:
            read += len(text)
    if counts.get(national.name):
        counts[national.name] += yardsticks
    # most mentioned first, a mention near the top counting extra; ties go to the first named
    local = sorted((n for n in counts if info[n].level in ("province", "prefecture", "county", "redacted")),
                   key=lambda n: (-(counts[n] + 3 * (n in in_head)), -counts[n], first_seen[n]))
    speaks_of_itself = sum(self_refs.values()) >= 2 and sum(self_refs.values()) * 3 >= counts.get(national.name, 0)
    national_title = national.name in _names_in(head_text)
    national_source = "title" if national_title else "default"
    # never national: a text that speaks of itself (全省, 我县) more often than of the country
    unresolved = (not national_title and sum(self_refs.values()) >= 2
                  and sum(self_refs.values()) > counts.get(national.name, 0))
    if (short := titled_short_county(head_text, self_words, list(info.values()))) is not None:
        return short   # '甲乙：全年…' over a text saying 全县: the county of that short name
    if not local:
        # a text naming no place, not even the country ('共监测30天，优良天数27天'): whose figures,
        # it does not say; a story that speaks of 中国 and of no place in it ('中国力争…') is national
        china = any(CHINA.search(text) for text in [head_text, *sample])
        if unresolved and (filed := filed_own_region([head_text, *sample], self_words)) is not None:
            return filed   # '中新网南宁3月5日电…全区…': the filing place's province
        if unresolved and (tabled := tabled_own_region(sample, self_words)) is not None:
            return tabled   # '全县…' over a table row '甲山 | 3.85 | …': 甲山县
        if unresolved or not (national_title or counts.get(national.name, 0) or china):
            return None, None, "unresolved", "unresolved"
        return national.name, national.code, national.level, national_source
    # (an opening statement taken for the title, '…全省设区城市…。…舟山…', titles no place)
    titled_names = _names_in(head_text) if "。" not in head_text.rstrip("。") else set()
    titled = {n for n in local if n in titled_names}
    if len(titled) > 1:   # '福建省龙岩市人民政府…': a province and a city in it name the city
        titled = ({n for n in titled if all(m == n or within(info[n], info[m]) for m in titled)}
                  or titled & qualified_names(head_text) or titled)   # ('四川省甲市…乙市必去的景点')
    # ('7月中国重点城市空气质量公布 山西包揽最差前三': a title naming the country too is national)
    if len(titled) == 1 and national.name not in titled_names and not CHINA.search(head_text):
        best = info[titled.pop()]
        body = body_province(best, [info[n] for n in local if n not in titled_names], counts, self_refs)
        return body or (best.name, best.code, best.level, "title")  # '2023年四川省生态环境状况公报'
    if len(local) == 1 and self_refs["city" if info[local[0]].level != "province" else "province"] \
            and not national_title and fits_self_words(info[local[0]], self_words):
        # (a national digest quoting one province's report is national; a county's '全县' is not
        # the one city it names: '全县…在某市排名第3')
        best = info[local[0]]   # the one place a self-speaking text names ('达州市全市各类功能区…')
        return best.name, best.code, best.level, "lead" if best.name in in_head else "default"
    for self_ref, levels in (("province", ("province",)), ("city", ("prefecture", "county", "redacted"))):
        if self_refs[self_ref] < 1 or not speaks_of_itself:
            continue
        # the publisher in the dateline ('来源：某市生态环境局'), then a name near the top
        # (the place must stand in the publisher's name itself, not elsewhere on its line)
        # or an issuing body's name ('某省生态环境厅  时间:2021-12-16')
        published_by = [r for line in dateline_lines
                        for m in [*PUBLISHER.finditer(line),
                                  *(ISSUING_BODY.finditer(line) if dateline_like(line) or _issuer_line(line) else ())]
                        for r in gazetteer.find_regions(line) if r.level in levels
                        and m.start(1) <= r.start < m.end(1)]
        if len({r.name for r in published_by}) == 1:
            return published_by[0].name, published_by[0].code, published_by[0].level, "dateline"
        named = [n for n in local if n in in_head and (info[n].level in levels or _municipality(info[n], self_ref))]
        if len(named) > 1 and all(info[n].level == "county" for n in named):
            named = []   # a city's report listing its counties: the city is above them (below)
        named = [n for n in named if _fits(n, info[n].level, self_words) and fits_self_words(info[n], self_words)]
        if named and self_refs[self_ref] >= 2:
            best = info[named[0]]   # (unless a 全省 body names only another province's places)
            body = body_province(best, [info[n] for n in local if n != best.name], counts, self_refs)
            return body or (best.name, best.code, best.level, "lead")
    # '全省9个中心城市…' naming only cities of one province: that province; '全市…' naming only
    # the counties of one city: that city
    # (a text that says 全省 only once will do when it names three places or more and never the
    # country: '对2021年2月全省县级以上城市…进行评价' over a list of the province's cities)
    listed = len(local) >= 3 and not counts.get(national.name, 0)
    for self_ref, up_to in (("province", "province"), ("city", "prefecture")):
        if up_to == "prefecture" and county_words_only(self_words):
            continue   # '全县' over the counties of one city: one of them, not the city
        own = self_refs[self_ref] + (gazetteer.releases(self_words, self_ref) if listed else 0)
        if (speaks_of_itself or (listed and own >= 1)) and own * 2 > sum(self_refs.values()):
            above = {a.code: a for n in local if (a := gazetteer.ancestor(info[n].code, (up_to,)))}
            if len(above) == 1:
                a = next(iter(above.values()))
                return a.name, a.code, a.level, "default"
    best = info[local[0]]
    # a text that never names the country and names one place, or one place and the regions it
    # lies in ('…这是福建省光泽县…', a county's report naming its province once): that place
    chain = one_lineage([info[n] for n in local], self_words)
    # (a province named once, '联合四川省政府…', may be a partner of a national text; not one that says 全省)
    if (chain is not None and (chain.level != "province" or counts[chain.name] >= 2 or province_words_only(self_words))
            and fits_self_words(chain, self_words)
            and not counts.get(national.name, 0) and counts[chain.name] >= max(counts[n] for n in local)
            and not any(CHINA.search(text) for text in [head_text, *sample])):
        return chain.name, chain.code, chain.level, "lead" if chain.name in in_head else "default"
    runner_up = counts[local[1]] if len(local) > 1 else 0
    if counts[best.name] >= 3 and counts[best.name] >= 2 * max(runner_up, counts.get(national.name, 0)):
        return best.name, best.code, best.level, "lead" if best.name in in_head else "default"
    if unresolved:
        return None, None, "unresolved", "unresolved"
    # a text that speaks of itself (全县) and never of the country, naming places that settle
    # nothing: whose figures they are it does not say (never 全国)
    if (self_refs and not national_title and not counts.get(national.name, 0)
            and not any(CHINA.search(text) for text in [head_text, *sample])):
        return None, None, "unresolved", "unresolved"
    if not_national(counts.get(national.name, 0), national_title, [head_text, *sample], CHINA, [info[n] for n in local]):
        return None, None, "unresolved", "unresolved"   # places named, the country never: not 全国
    return national.name, national.code, national.level, national_source
