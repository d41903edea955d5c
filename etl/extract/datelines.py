"""The date a page was published, wherever the page prints it.

A dateline near the top ('发布时间:2023-05-25', '来源:某网2025-04-24', a bare '2022-08-26 09:53 某网'
under the title), a date in brackets or after a dash under the title (a speech, a report), and,
for a page that shows none of these, the date it is signed with at its end (an issuing body's
notice closing on '2020年8月11日', a note closing on '（2021年5月）').
"""
from __future__ import annotations

import functools
import re

from etl import catalog
from etl.extract.chinese_dates import in_arabic_digits

YEAR = r"((?:19|20)\d{2})"
# a date: 2023年5月25日, 2023-05-25, 2023/5/25, 2023.05.25 (not a period: 2024年1-8月)
DATE = re.compile(YEAR + r"(?:\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|([\-/.])(\d{1,2})\4(\d{1,2})(?![\d月]))")
# a day-first date with dots, as foreign page templates print it in a dateline ('21.07.2017 12:02')
DAY_FIRST_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\." + YEAR + r"(?![\d.])")
# a zero-padded date glued to a counter the page prints after it ('2022-09-26125': 125 views);
# tried only on a dateline-like line where no other date stands
GLUED_DATE = re.compile(YEAR + r"-(\d{2})-(\d{2})(?=\d{1,6}(?!\d))")
TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
# a photo's caption names the day the photo was taken, not the page's date
# ('图为2022年10月20日郑州的蓝天(资料图) 某某 摄')
CAPTION = re.compile(r"^\s*(?:图为|图片|图：|图:)|资料图|(?:摄|供图)\s*$")
# a dateline names its date next to one of these ('来源:新华网2025-04-24作者:…', '编辑: … | 时间: …',
# a view counter: '2019-07-09 00:00:00 · 某网 阅读:947')
DATELINE_CUE = re.compile(r"发布时间|发布日期|发文日期|成文日期|更新时间|日期|时间|来源|作者|编辑|浏览|阅读|点击")
# a sentence reporting a figure ('…优良天数比例为90.1%。'): the text has begun, and a date line with
# no cue word below it is no dateline (a summary above the dateline, '摘要：…', does not count)
REPORTED_FIGURE = re.compile(r"\d\s*(?:%|％|微克|毫克|天|个百分点)")
SUMMARY = re.compile(r"\s*(?:摘要|导读|核心提示|内容提要)")
DATELINE_MAX_CHARS = 120   # a dateline is a short line; a longer one is text that mentions a date
BARE_DATELINE_REST = 24    # what a bare dateline holds besides its date: a time, a site name


def iso_date(m: re.Match) -> str | None:
    y, mo, d = int(m.group(1)), int(m.group(2) or m.group(5)), int(m.group(3) or m.group(6))
    # as written; the pipeline checks it is a real date (and warns when it is not)
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


@functools.cache
def _glued_dateline() -> re.Pattern:
    """A line that opens on a full 年月日 date and then a clock time or a source cue."""
    cues = "|".join(map(re.escape, catalog.cues()["dateline"]["opening_cues"]))
    return re.compile(r"\s*" + YEAR + r"\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:"
                      + TIME.pattern + r"\s*(?:" + cues + r")?|(?:" + cues + r"))")


def glued_dateline(line: str) -> str | None:
    """The ISO date of a dateline glued to the first sentence of the text below it
    ('2021年06月03日09:12  来源:某某客户端近日,…。'): a long line with a full stop is otherwise no
    dateline, but one that opens on a date and a clock or a source is the page's."""
    m = _glued_dateline().match(line)
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


def dateline(head: list[str]) -> tuple[int | None, int | None, str | None]:
    """(index of the first, index of the last, ISO date) of the page's datelines: a short line with a date next to a cue word
    ('發(fā)布時(shí)間:2023-05-25 08:44來源: 某社' once the glosses are gone, '来源:某网2025-04-24'),
    or a short line that is nothing but a date, a time and a site name
    ('2022-08-26 09:53:36 某网', '某网  2022年04月22日', '2018-11-15 15:10:00来源：')."""
    reported = False   # a sentence of the text with a figure in it stands above
    found: list[tuple[int, str]] = []   # the datelines above the text
    for i, line in enumerate(head):
        t = line.strip()
        if not found and not reported and (glued := glued_dateline(t)):
            found.append((i, glued))
            continue
        if len(t) > DATELINE_MAX_CHARS or "。" in t or CAPTION.search(t):
            reported = reported or bool(REPORTED_FIGURE.search(t) and "。" in t and not SUMMARY.match(t))
            continue
        if found and reported:
            break
        for m in DATE.finditer(t):
            rest = TIME.sub("", t[:m.start()] + t[m.end():])
            # (a bare date below the text is a related link's or a footer's, not the page's; a bare
            # date in a table's row is the row's)
            bare = len(re.sub(r"[\s|:：]", "", rest)) <= BARE_DATELINE_REST and not reported and "|" not in t
            if (DATELINE_CUE.search(t) or bare) and (iso := iso_date(m)) is not None:
                found.append((i, iso))
                break
        if found and found[-1][0] == i:
            continue
        for m in DAY_FIRST_DATE.finditer(t):
            rest = TIME.sub("", t[:m.start()] + t[m.end():])
            d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if (DATELINE_CUE.search(t) or len(re.sub(r"[\s|:：]", "", rest)) <= BARE_DATELINE_REST) \
                    and 1 <= mo <= 12 and 1 <= d <= 31:
                found.append((i, f"{y:04d}-{mo:02d}-{d:02d}"))
                break
    if found:
        # a repost prints its own date above or beside the original's ('2023-10-05 转载' over
        # '来源:某县政府 发布时间:2023-09-12'): the original's is the earliest, the one its 今年 means
        return found[0][0], found[-1][0], min(iso for _, iso in found)
    for i, line in enumerate(head):
        t = line.strip()
        if len(t) > DATELINE_MAX_CHARS or "。" in t or DATE.search(t):
            continue
        m = GLUED_DATE.search(t)
        rest = (t[:m.start()] + t[m.end():]) if m else ""
        if m and (DATELINE_CUE.search(t) or len(re.sub(r"[\s|:：\d]", "", rest)) <= BARE_DATELINE_REST):
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return i, i, f"{y:04d}-{mo:02d}-{d:02d}"
    return None, None, None


def dateline_like(line: str) -> bool:
    """A short line with a date and no sentence in it."""
    t = line.strip()
    return len(t) <= DATELINE_MAX_CHARS and "。" not in t and bool(DATE.search(t))


def dated_line_under_title(head: str) -> str | None:
    """(2025年1月14日), ——2024年1月10日在…大会上: a speech or a report dated under its title."""
    m = re.search(r"(?:[(（]|——|—)\s*" + DATE.pattern, head)
    return iso_date(m) if m else None



# where a page signs itself: its last lines, below the text (footer debris may follow)
SIGNED_TAIL_PARAGRAPHS = 8
# a line that is only a month, in brackets or not: '（2021年5月）', '2021年5月'
MONTH_LINE = re.compile(r"[(（]?\s*" + YEAR + r"\s*年\s*(\d{1,2})\s*月\s*[)）]?")
# a date alone on its line, bracketed or not ('2020年8月11日', '(2023-06-01)'): no time, no site
DATE_LINE = re.compile(r"[(（]?\s*" + DATE.pattern + r"\s*[)）]?")


def signed_date(tail: list[str]) -> str | None:
    """The date a page without a dateline signs itself with at its end: an issuing body's
    notice closing on '2020年8月11日' (ISO date), a note closing on '（2021年5月）' ('YYYY-MM':
    the month it was written). Only one such line may stand there: a list of related links, each
    dated on a line of its own, signs nothing; a line with a time ('GMT+8, 2024-10-27 13:31')
    is a footer's clock, not a signature."""
    found, below_text = [], False
    for line in tail:
        t = in_arabic_digits(line.strip())   # ('二〇二三年五月十日': extract/chinese_dates.py)
        if (m := DATE_LINE.fullmatch(t)) and (iso := iso_date(DATE.search(t))):
            found.append(iso)
        elif (m := MONTH_LINE.fullmatch(t)) and 1 <= int(m.group(2)) <= 12 and below_text:
            # (above the text, '(2023年9月)' under a title is the period it reports on)
            found.append(f"{int(m.group(1)):04d}-{int(m.group(2)):02d}")
        below_text = below_text or bool(REPORTED_FIGURE.search(t))
    return found[0] if len(found) == 1 else None


# --- a repost: the original's year ------------------------------------------------------------

# a newswire's day at the head of its story ('本报1月24日讯', '新华社北京6月20日电'): the day the
# original was filed, written without its year
WIRE_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:电|讯)")
# a page dated this many years or more after the year its text says it reviews carries an older text
REPOST_YEARS_AFTER = 2


def repost_year(stated_year: int | None, months: str, pub_year: int | None,
                lead: list[str]) -> tuple[bool, int | None]:
    """(is a repost, the year its 今年 means) for a page dated long after the year its title or
    lead states ('发布时间:2021-04-09' over a report on 2017): 今年/去年 are the original's, not
    the repost's. A newswire's day in the lead dates the original: in or before the last month
    reviewed, the year after (a year's review filed '1月24日讯'), else the stated year itself (a
    half year's filed '7月20日电'). None when nothing dates the original."""
    if stated_year is None or pub_year is None or pub_year - stated_year < REPOST_YEARS_AFTER:
        return False, None
    for text in lead:
        if (m := WIRE_DAY.search(text[:text.find("。") + 1 or len(text)])) and 1 <= int(m.group(1)) <= 12:
            last_month = int(months.split("-")[-1])
            return True, stated_year + 1 if int(m.group(1)) <= last_month else stated_year
    return True, None


# a story that opens on the day of a release, without its year ('1月7日,某站发布《…2014年12月…》')
OPENING_DAY = re.compile(r"\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[,，]")


def release_year(lead: tuple | None, head: list[str]) -> int | None:
    """The year an undated page was written in, for its 今年/去年: a story opening on a day (or a
    newswire's day) before the last month its title or lead reviews was written the year after
    ('1月7日,…发布…2014年12月…': 去年12月 is 2014's), else the year it states. `lead` is the
    page's (year, periods, source); None unless its title or lead states it."""
    if not lead or lead[2] not in ("title", "lead"):
        return None
    stated_year, last_month = lead[0], int((lead[1][0] if lead[1] else "1-12").split("-")[-1])
    for text in head:
        first = text[:text.find("。") + 1 or len(text)]
        if (m := OPENING_DAY.match(first) or WIRE_DAY.search(first)) and 1 <= int(m.group(1)) < last_month:
            return stated_year + 1
    return stated_year
