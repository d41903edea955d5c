"""Subjects: the region a value belongs to, and the names a list of values is paired with."""
from __future__ import annotations

import functools
import re

from etl import catalog
from etl.catalog.gazetteer import RegionMention, ancestor, find_regions, national_honour
from etl.extract.asides import closed_asides, in_aside, outside_closed_asides
from etl.extract.carried_places import part_said_before, place_said_before
from etl.extract.clause_parts import clause_part_before, new_point_after
from etl.extract.indicators import Mention
from etl.extract.listed_parts import outside_earlier_lists
from etl.extract.matchers import canonical_alias, catalog_simplify, spans_ending
from etl.extract.partitives import opens_on_part
from etl.extract.values import Value, find_values
from etl.extract.rankings import place_after
from etl.extract.set_apart import agency_named, gloss_left_behind, medium_changed, medium_cut, set_apart
from etl.model import Paragraph
from etl.text.numbers import parse_number

# '排名宣城市第一', '居福建全省第一', '高于全国均值5.6个百分点', '比全国平均水平低33.3%': a yardstick
RANKED_BEFORE = re.compile(r"(?:排名|位居|位列|居|高于|低于|优于|好于|差于|超过|超出|比)\s*$")
# ('全市11个区县排名第3': the city is the field the county is ranked in)
RANKED_AFTER = re.compile(r"\s*(?:第[一二三四五六七八九十\d]|\s*\d+\s*个[^，,；;。\d]{0,8}?(?:城市|省份|省|地市|省区市|区县|县区|县市区)中"
                          r"|\s*\d+\s*个[^，,；;。\d]{0,8}?(?:城市|省份|地市|省区市|区县|县区|县市区)[^，,；;。\d]{0,8}?(?:排名|排行|排序)"
                          r"|(?:城市|省份)?中?排?(?:排名|排行|排位|位次)|前列|首位|末位"
                          r"|(?:同比|较上年|比上年)?(?:前进|后退|上升|下降|进位|退位)\s*\d+\s*(?:位|名))")
# ('平均为' is an average, not 均为: the 均 of 平均 says no "each")
EACH = re.compile(r"(?<!平)(?:均为|均是|均达到?|均保持)|都为|都是|都达到?|全部达到?|全部为|全都达到?|全部保持")
# a list of places followed by their count ('A、B、C、D和E 5个市国考断面…比例达到100%'): the value
# is each one's, as with 均为
COUNTED = re.compile(r"\s*(?:等|共)?\s*(\d{1,2}|[一二两三四五六七八九十]{1,3})\s*个\s*"
                     r"(?:地级市|设区市|地市|城市|市州|盟市|县市区|县区|区县|市|县|区|州|盟|旗|省份|省区|省)")
# a bound the counted places fall under or above, not their shared level ('临汾、太原2个城市…不足50%')
COUNTED_BOUND = re.compile(r"(?:不足|不到|低于|高于|超过|小于|大于|未达到?|在)\s*$")
COUNTED_BOUND_AFTER = re.compile(r"\s*(?:以上|以下|之间|左右|[~～—–\-至到])")
YARDSTICK_FIGURE = re.compile(r"\s*(?:的)?\s*(?:平均水平|平均值|均值|平均|水平|同期)?\s*[(（]\s*(?:为|是)?\s*")
PART_RANKED_IN = re.compile(r"[^，,；;。]{0,4}?(?:中|里|内)\s*(?:的)?\s*(?:排名|排行|排序|排位|位列|位居|居|列|名列|第)")
# a number between two listed names: '甲市95%、乙市82%' lists values, not a union of places
HAS_DIGIT = re.compile(r"\d")
# the whole region, right before the number of its counties ('全州12县(市)平均')
WHOLE_BEFORE = re.compile(r"全[省市州区县盟]\s*\d*\s*个?\s*$")
# a value right after the first name of a list of places in order ('依次为镇坪91天、平利90天')
ORDERED_MEMBER = re.compile(r"(?:依次为|依次是)\s*[:：]?\s*[\u4e00-\u9fff]{2,4}\s*$")
# a listed name right before a known one ('芒市、楚雄'): two to six characters and a 、
UNKNOWN_MEMBER = re.compile(r"(?:(?<=[、，,；;：:])|其中)(?!其中)([\u4e00-\u9fff]{2,6})、$")


@functools.cache
def _label_rules() -> tuple[int, re.Pattern, re.Pattern]:
    r = catalog.cues()["section_label"]
    return int(r["max_chars"]), re.compile(r["heading"]), re.compile("|".join(r["not_a_label"]))







SENTENCE_ENDS = re.compile(r"[。！？!?]")
CLAUSE_OPENING = re.compile(r"[\s,，;；、。：:]")


def subject_of(text: str, start: int = 0, end: int | None = None) -> tuple[RegionMention | None, bool] | None:
    """The place the last sentence in text[start:end] that gives values gives them for, or the one
    before it that names one: (region, False); (None, True) when it names a part of the region
    ('秦岭区域…', '168个城市平均…'); None when none of them says."""
    end = len(text) if end is None else end
    starts = [v.start for v in find_values(text[start:end])]
    if not starts:
        return None
    regions = find_regions(text)
    for s, e in reversed([(s + start, e + start) for s, e in spans_ending(text[start:end], SENTENCE_ENDS)]):
        first = next((x + start for x in starts if s <= x + start < e), None)
        if first is None:
            continue
        named = [r for r in regions if s <= r.start and r.end <= first and not _ranked_against(text, r)]
        if named:
            return named[-1], False
        if any(not PART_RANKED_IN.match(text, m.end(), first) for m in catalog.cue_pattern("region", "part_of").finditer(text, s, first)):
            return None, True
    return None


def settle_averages(metrics: list, where: str) -> list:
    """The average over all of a region's counties is the region's figure only when the document
    gave none before it for the same indicator and period ('9个中心城市…98.4%' in section one,
    '88个县(市、区)…98.6%' in section two: the second is a part's, unresolved). `where` is how the
    document's own region was decided (the source a kept average records). A group found to be a
    part stays one for the rest of its sentence ('县(市)平均优良率为95.6%…;重污染天数比例为0' after
    the city's own 优良率: the counties' heavy-pollution share too, though the city gave none)."""
    seen, parts = set(), set()
    for m in metrics:
        key = (m.indicator, m.region, m.year, m.months, m.kind)
        if m.region_source != "average":
            seen.add(key)
            continue
        sentence = (m.paragraph_seq, m.evidence_start, m.evidence_end)
        if key in seen or sentence in parts:
            parts.add(sentence)
            m.unplace()
        else:
            m.region_source = where
            seen.add(key)
    return metrics


SUBSET = re.compile(r"其中")
# a sentence opening on 其中 and a count ('其中:324个江河评价断面中,…'): a counted part of the whole before
COUNTED_SUBSET = re.compile(r"其中\s*[:：,，]?\s*有?\s*\d+\s*个")


def drop_subsets(metrics: list, text: str, sentences) -> list:
    """'PM2.5浓度为36微克/立方米，其中，未达标城市PM2.5浓度为40微克/立方米': after 其中, a second
    figure of the indicator the sentence already gave for the same region and period is a
    subset's, and so is its change (a place named after 其中 is another region: kept). A sentence
    opening on 其中 and a count ('…占95.9%。其中:324个江河评价断面中,…比例为98.8%') goes on with the one
    before it for a level (not another network: '。其中，国家考核点位…82%'; nor for a change:
    '…臭氧155微克/立方米。其中,臭氧…同比下降2.5%' may be the whole's)."""
    out = []
    for m in metrics:
        sentence = next(((s, e) for s, e in sentences if s <= m.para_start < e), (0, len(text)))
        if m.kind in ("actual", "target") and COUNTED_SUBSET.match(text[sentence[0]:sentence[1]].lstrip(" \t，,：:")):
            sentence = (max((s for s, _ in sentences if s < sentence[0]), default=sentence[0]), sentence[1])
        cut = [x.start() for x in SUBSET.finditer(text, sentence[0], m.para_start)]
        subset = cut and m.indicator_id is not None and any(
            o.indicator_id == m.indicator_id and (o.region, o.year, o.months)
            == (m.region, m.year, m.months) and sentence[0] <= o.para_start < cut[-1] for o in metrics)
        if not subset:
            out.append(m)
    return out


def _other_province(label: RegionMention | None, ctx) -> bool:
    """A label line naming the headline's province that the page's body overrules (a page titled
    with another province: the body's 全省 and its places are the page's own province's)."""
    return label is not None and label.name == ctx.overruled_region


Section = tuple  # (the label line's region or None, the label's heading rank)
# heading ranks, highest first: '第一章', '一、', '(一)', '1.', '(1)'; a label line without a number
# ranks between '(一)' and '1.': the arabic-numbered headings under '泰州:' are its own sections
HEADING_RANKS = [(re.compile(r"\s*第[一二三四五六七八九十]{1,3}[章节部分篇]"), 0),
                 (re.compile(r"\s*[一二三四五六七八九十]{1,3}、"), 1),
                 (re.compile(r"\s*[(（][一二三四五六七八九十]{1,3}[)）]"), 2),
                 (re.compile(r"\s*\d{1,2}[.、．]"), 3), (re.compile(r"\s*[(（]\d{1,3}[)）]"), 4)]
UNNUMBERED_LABEL = 2.5


def section_region_after(p: Paragraph, current: Section) -> Section:
    """The region a label line puts the paragraphs after it under ('(一)京津冀及周边地区',
    '2023年长三角地区空气质量情况', '北京市:'), with the label's heading rank: a short line
    without values or sentence ends that names one region near its start. A numbered heading
    naming none ends it, unless it ranks below the label ('泰州:' over '(1)国控断面水质')."""
    max_chars, heading, not_a_label = _label_rules()
    text = p.simplified.strip()
    if len(text) > max_chars or re.search(r"[，,。；;！？!?]", text) or not_a_label.search(text):
        return current
    found = find_regions(text)
    # ('长三角区域25个城市:', '京津冀及周边地区“2+26”城市:' are labels: the count of the area's cities and
    # the digits of its name are no values)
    if find_values(catalog.cue_pattern("section_label", "count").sub("", "".join(" " if any(r.start <= i < r.end for r in found) else c
                                                   for i, c in enumerate(text)))):
        return current
    # '生态环境质量持续保持全国前列': a yardstick the place is ranked against is no label's region
    named = [r for r in found if r.level != "self" and not _ranked_against(text, r)]
    rank = next((k for pattern, k in HEADING_RANKS if pattern.match(text)), None)
    if len({r.code or r.name for r in named}) == 1 and named[0].start <= 12:   # ('京津冀及周边地区“2+26”城市': one)
        return named[0], UNNUMBERED_LABEL if rank is None else rank
    if heading.match(text) and not named:
        if current[0] is not None and rank is not None and rank > current[1]:
            return current
        return None, 0
    return current


def _self_fits(ref: RegionMention, r: RegionMention) -> bool:
    """A region 全省 (a province), 全市 (a city, a municipality) or 该区域 (an area) can mean."""
    if ref.self_ref == "area":
        return r.level == "grouping"
    if ref.self_ref in ("province", "province_release"):
        return r.level == "province" and not r.name.endswith("市")
    return r.level == "prefecture" or (r.level == "province" and r.name.endswith("市"))


def _ranked_against(text: str, r: RegionMention) -> bool:
    """'排名宣城市第一', '保持全国前列', '高于全国均值': the region is a yardstick, not the subject."""
    return bool(RANKED_BEFORE.search(text, max(0, r.start - 3), r.start) or RANKED_AFTER.match(text, r.end)
                or national_honour(text, r))   # '第02版:全国两会特刊': a newspaper page's name, no label


class SubjectsMixin:
    """Regions of a value and the names a value list is paired with."""

    def _each_of(self, v: Value, clause, sentence) -> list[RegionMention] | None:
        """'全南县、崇义县最低，均为19微克/立方米': the same value for each region listed."""
        if not EACH.search(self.text[clause[0]:v.start]):
            return self._counted(v, clause)
        for scope_start in (clause[0], self._previous_clause_start(clause, sentence)):
            listed = [r for r in self.regions if scope_start <= r.start and r.end <= v.start and r.level != "self"]
            if listed:
                return listed if len(listed) > 1 else None
        return None

    def _counted(self, v: Value, clause) -> list[RegionMention] | None:
        """'宣城、六安、池州和亳州4个市…比例达到100%': places listed one after the other
        and then counted, the count being theirs, share the value."""
        listed = [r for r in self.regions if clause[0] <= r.start and r.end <= v.start and r.level != "self"]
        for i in range(len(listed) - 1, 0, -1):
            m = COUNTED.match(self.text, listed[i].end)
            if not m or m.end() > v.start:   # (the count itself is no value of each)
                continue
            run = [listed[i]]
            for r in reversed(listed[:i]):
                if not re.fullmatch(r"\s*[、和及与]\s*", self.text[r.end:run[0].start]):
                    break
                run.insert(0, r)
            if COUNTED_BOUND.search(self.text, m.end(), v.start) or COUNTED_BOUND_AFTER.match(self.text, v.end):
                return None
            if catalog.cue_pattern("region", "counted_mean").search(self.text, m.end(), v.start):
                return None   # '甲、乙…4个城市…均值为99.3%': the group's mean, not each one's
            n = int(parse_number(m.group(1)))
            return run if len(run) > 1 and n == len(run) else None
        return None

    def _expand_subjects(self, mention: Mention, clause, n: int) -> list[Mention] | None:
        """'城市和县城再生水利用率分别达到40%、30%': 城市再生水利用率, 县城再生水利用率."""
        phrase = self.text[clause[0]:mention.end]
        parts = [s for s in re.split(r"[和、及与]", phrase) if s]
        if len(parts) != n:
            return None
        last = parts[-1]
        for i in range(len(last) - 1, 0, -1):  # the shortest shared head that names an indicator for every part
            head = last[i:]
            found = [self._mention_named(part + head, mention) for part in parts[:-1]]
            found.append(self._mention_named(last, mention))
            if all(found):
                return found
        return None

    def _mention_named(self, phrase: str, like: Mention) -> Mention | None:
        indicators = self.mx.indicators_of_alias.get(canonical_alias(phrase))
        return Mention(like.start, like.end, phrase, indicators) if indicators else None

    # -- one value
    def _region(self, v: Value, region: RegionMention | None, sentence,
                clause) -> tuple[str | None, str | None, str, str]:
        """(name, code, how, where); where is 'average' for the average over all of the region's
        counties ('全州12县(市)平均…'): settle_averages decides at the end of the document."""
        found = self._region_of(v, region, sentence, clause)
        if found[0] is not None and any(self._headline_average(m, v.start) for m in
                                        catalog.cue_pattern("region", "part_of").finditer(self.text, sentence[0], v.start)):
            return found[0], found[1], found[2], "average"
        return found

    def _region_of(self, v: Value, region: RegionMention | None, sentence,
                   clause) -> tuple[str | None, str | None, str, str]:
        """(name, code, how it was found: 'named', 'default', 'union' or 'unresolved', and where:
        'clause', 'sentence' or how the document's own region was decided)."""
        ctx = self.ctx
        if region is None and (named := place_after(self.text, v.end, self.regions)) is not None:
            return named.name, named.code, "named", "clause"   # '76.7%(甲县)': rankings.place_after
        if region is None and (own := self._yardsticks_own(v, sentence)) is not None:
            return own[0], own[1], "named", "clause"
        if region is None:
            before = [r for r in self.regions if sentence[0] <= r.start and r.end <= v.start
                      and not self._is_ranking_context(r) and not gloss_left_behind(self.text, r, v.start)]
            before = outside_earlier_lists(self.text, before, v.start)   # '甲市、乙市达标；优良…为X'
            before = outside_closed_asides(self.text, before, v.start)   # '全国…城市(甲省原乙市划归丙市,…)平均…'
            if before and (union := self._union(before)):
                return union, None, "union", "sentence"
            region = before[-1] if before else None
        if self._unknown_county_between(region.end if region else sentence[0], v.start):
            return None, None, "unresolved", "unresolved"
        # '168个城市平均…', '全省88个县(市、区)平均…', '其中主要江河…': a part's value, not the region's
        # (not a part of another medium before a semicolon: '…长江干流水质为Ⅱ类;近岸海域…为85%')
        part_from = medium_cut(self.text, max(sentence[0], region.end if region else 0), v.start)
        # (a part named inside a closed note of its own clauses, '(…划归某市管辖,…169个重点城市减少为168个)',
        # is the note's, not the value's; a bare gloss, '(168个重点城市)', still names the part)
        asides = [(a, b) for a, b in closed_asides(self.text, part_from, v.start) if re.search(r"[,，]", self.text[a:b])]
        if self._part_before(part_from, v.start, asides) or clause_part_before(self.text, part_from, v.start, asides):
            return None, None, "unresolved", "unresolved"
        # '优良天数由多到少依次为镇坪91天、平利90天…': the first of places the gazetteer does not know
        if (ordered := ORDERED_MEMBER.search(self.text, max(clause[0], v.start - 16), v.start)) and (
                region is None or region.end <= ordered.start()):
            return None, None, "unresolved", "unresolved"
        # '(目前世界平均的森林覆盖率为22.0%)': an area outside the gazetteer's
        if catalog.cue_pattern("region", "elsewhere").search(self.text, max(clause[0], region.end if region else 0), v.start):
            return None, None, "unresolved", "unresolved"
        carried_part = None
        if region is None:
            # '甲区优良率为70%。重污染天数比例为2%。': the region of an earlier sentence carries on,
            # and so does the region of the label line the paragraph is under
            carried = self._earlier_region(sentence)
            if carried is not None and self._unknown_county_between(carried.end, v.start):
                return None, None, "unresolved", "unresolved"
            # '全区68个县级城市…优良天数比例为98.7%。PM2.5平均浓度为19…': the part the earlier
            # sentence's values were of goes on, not the region (a headline average stays one)
            carried_part = self._carried_part(carried) if carried is not None and not new_point_after(
                self.text, self.value_starts, carried.end, sentence[0]) else None
            if carried_part == "part":
                return None, None, "unresolved", "unresolved"
            continued = None if carried else self._continued(sentence)
            if continued is not None:   # '…长三角地区…。' / '1-11月,平均…': the place goes on
                if continued[1]:
                    return None, None, "unresolved", "unresolved"
                carried = continued[0]
            elif carried is None and self._part_goes_on(sentence):
                return None, None, "unresolved", "unresolved"
            label = None if _other_province(self.section_region, ctx) else self.section_region
            region, where = (carried, "paragraph") if carried else (label, "heading")
        else:
            where = "clause" if region.start >= clause[0] else "sentence"
        # '黄河流域国考8市…' in a province's report: its own part of the basin, not the basin
        if region is not None and region.level == "grouping" and self._local_part(region):
            return None, None, "unresolved", "unresolved"
        if region is None:
            if ctx.region is None or self._titled_part():
                return None, None, "unresolved", "unresolved"
            return ctx.region, ctx.region_code, "default", ctx.region_source
        if region.level == "self" and (part := catalog.cue_pattern("region", "part_of").match(self.text, region.start)) and part.end() >= region.end:
            return None, None, "unresolved", "unresolved"   # '其中，市区…': the urban area set apart
        if region.level == "self":
            # '河南省…表示，全省PM2.5…': 全省 is the province named before it; else the document's own
            # ('…河北省…。全省PM2.5…' in a digest of provinces: the province its paragraph names;
            # '泰州:' over '全市国控断面…': the city of the label line the paragraph is under)
            named = [r for r in self.regions if r.end <= region.start and _self_fits(region, r)
                     and not self._is_ranking_context(r)]
            if named and (named[-1].name != ctx.region or region.self_ref == "area"):
                return named[-1].name, named[-1].code, "named", where if named[-1].start >= sentence[0] else "paragraph"
            if region.self_ref == "area":   # '该区域' with no area named before it: whose, the text does not say
                return None, None, "unresolved", "unresolved"
            label = self.section_region
            if label is not None and _self_fits(region, label) and label.name != ctx.region and not _other_province(label, ctx):
                return label.name, label.code, "named", "heading"
            own = self._own_region_for(region)
            if own is None:  # 全省 in a national report, 全市 in a province's: whose, the text does not say
                return None, None, "unresolved", "unresolved"
            return own[0], own[1], "named", "average" if carried_part else ctx.region_source
        return region.name, region.code, "named", "average" if carried_part else where

    def _titled_part(self) -> bool:
        """A local report whose title names a part of its region ('某市乡镇饮用水水源地水质状况报告'):
        a value that names no place is that part's, not the region's. (A statement taken for the
        title, the line above a dateline at the foot of the page, titles nothing.)"""
        title = catalog_simplify(self.ctx.title or "").rstrip()
        return self.ctx.region_level in ("province", "prefecture", "county") and bool(
            catalog.cue_pattern("region", "part_of").search(title)) and not SENTENCE_ENDS.match(title[-1:])

    def _continued(self, sentence) -> tuple[RegionMention | None, bool] | None:
        """For a sentence that opens on a period (cues.toml region.continued_by) and names no place
        before its values: the place of the sentence before it, in its paragraph or at the end of
        the paragraph before ((region, False)), or (None, True) when that sentence was about a part."""
        opening = sentence[0] + len(self.text[sentence[0]:]) - len(self.text[sentence[0]:].lstrip(" ,，;；"))
        if not catalog.cue_pattern("region", "continued_by").match(self.text, opening):
            return None
        if any(x < sentence[0] for x in self.value_starts):
            # (a place of an earlier sentence carries by _earlier_region's rules; here only a part)
            found = subject_of(self.text, 0, sentence[0])
            if found is not None and found[0] is not None and found[0].level == "grouping" and self._local_part(found[0]):
                return None, True
            return found if found is not None and found[1] else None
        said = place_said_before(self.text, self.sentences, self.regions, self.value_starts, sentence[0])
        found = (said, False) if said is not None and not self._is_ranking_context(said) else self.previous_subject
        if found is not None and found[0] is not None and self._above_own(found[0]):
            return None   # the province above a county's report, named at the end of the line before
        return found

    def _unknown_county_between(self, start: int, end: int) -> bool:
        """'…;藤县优良天数比例为93.2%,PM2.5…': a clause in [start, end) opening on a county the
        gazetteer leaves out (cues.toml region.unknown_county_subject): the values after it are that
        county's, neither those of the place named before it nor the document's."""
        # (a county the gazetteer knows is none: '甲市、咸丰县PM2.5…' lists 咸丰县, whose tail spells 丰县)
        return any((m.start() == start or CLAUSE_OPENING.match(self.text, m.start() - 1))
                   and not any(r.start <= m.start() < r.end for r in self.regions)
                   for m in catalog.cue_pattern("region", "unknown_county_subject").finditer(self.text, start, end))

    def _part_goes_on(self, sentence) -> bool:
        """'某片区8个市平均优良天数比例为66.1%。PM2.5浓度为41…': a sentence that names no place,
        after ones whose values were a part's (an area the gazetteer does not hold, a group of
        cities) with no place named since, goes on with that part, not the document's region."""
        if part_said_before(self.text, self.sentences, self.regions, self.value_starts, sentence[0], catalog.cue_pattern("region", "part_of")):
            return True   # '某海近岸海域水质一般。…劣四类海水比例为9.9%': the part the sentence before is about
        if not any(x < sentence[0] for x in self.value_starts) or new_point_after(self.text, self.value_starts, 0, sentence[0]):
            return False   # ('…流域…达100%。二是海洋…。近岸海域…': a new numbered point, a new topic)
        last = max(x for x in self.value_starts if x < sentence[0])   # (a part of one medium ends with it)
        said = next(((s, e) for s, e in self.sentences if s <= last < e), (0, sentence[0]))
        return subject_of(self.text, 0, sentence[0]) == (None, True) and not medium_changed(
            self.text[said[0]:last], self.text[sentence[0]:sentence[1]])

    def _local_part(self, r: RegionMention) -> bool:
        """A grouping named in a province's, city's or county's report that means the report's own
        part of it (cues.toml region.part_in_local: the river basins)."""
        return self.ctx.region_level in ("province", "prefecture", "county") and bool(catalog.cue_pattern("region", "part_in_local").search(r.name))

    def _yardsticks_own(self, v: Value, sentence) -> tuple[str, str | None] | None:
        """'比全国平均水平(85.5%)高2.5个百分点', '高于全省均值(31微克/立方米)': the figure in
        parentheses right after a yardstick is the yardstick's own, not the subject's."""
        for r in self.regions:
            if not (sentence[0] <= r.start and r.end <= v.start and YARDSTICK_FIGURE.fullmatch(self.text, r.end, v.start)):
                continue
            if r.level == "self" and RANKED_BEFORE.search(self.text, max(0, r.start - 3), r.start):
                return self._own_region_for(r)
            if r.level != "self" and self._is_ranking_context(r):
                return r.name, r.code
        return None

    def _part_before(self, start: int, end: int, asides=()) -> bool:
        """A part or group of the region named in [start, end) that the value belongs to; not
        one a place is ranked in ('在168个重点城市中排名第50位，PM2.5浓度…' is the place's), nor
        one named inside a closed aside (`asides`: spans)."""
        return any(not PART_RANKED_IN.match(self.text, m.end(), end) and not self._headline_average(m, end)
                   and not in_aside(asides, m.start(), m.end())
                   for m in catalog.cue_pattern("region", "part_of").finditer(self.text, start, end))

    def _headline_average(self, m: re.Match, end: int) -> bool:
        """'全州12县(市)平均优良天数比例为98.5%': the average over all of the region's counties, right
        after 全州/全省/全市, is the region's own figure when its sentence gives none before it
        ('全省9个中心城市平均…97.2%;全省88个县(市、区)平均…98.0%': the second is a part's)."""
        # (a prefecture's own name right before its counties counted is as whole: '某州12个县(市)…', and
        # so is the prefecture its sentence is about when the count opens a clause: '某州空气质量总体良好,9个县(市)…')
        sentence_start = next((s for s, e in self.sentences if s <= m.start() < e), 0)
        named = [r for r in self.regions if sentence_start <= r.start and r.end <= m.start()]
        prefecture = bool(named) and named[-1].level == "prefecture" and (
            m.start() - named[-1].end <= 1 or self.text[max(0, m.start() - 1):m.start()] in (",", "，"))
        if not WHOLE_BEFORE.search(self.text, max(0, m.start() - 8), m.start()) and not self._named_whole(m) \
                and not prefecture:
            return False
        return not any(sentence_start <= x < m.start() for x in self.value_starts)

    def _named_whole(self, m: re.Match) -> bool:
        """'全省13个重点城市PM2.5…。13个重点城市平均…': the group named word for word where the text
        calls it the whole region's (before or after: a lead may name it bare first) stands for
        the whole."""
        return any(WHOLE_BEFORE.search(self.text, max(0, e.start() - 8), e.start())
                   for e in re.compile(re.escape(m.group(0))).finditer(self.text) if e.start() != m.start())

    def _own_region_for(self, ref: RegionMention) -> tuple[str, str | None] | None:
        """The region a self reference means in this document: 全省 in a province's report is
        that province and in a city's the province above it; 全市/全县/全区 a city's, county's or
        district's report is that city, county or district. None when the document is national,
        a grouping, or unresolved."""
        ctx = self.ctx
        if ctx.region is None or ctx.region_level not in ("province", "prefecture", "county", "redacted"):
            return None
        own = (ctx.region, ctx.region_code)
        if ref.self_ref in ("province", "province_release"):
            if ctx.region_level == "province" or (ctx.region_level == "county" and "区" in ref.name):
                return own
            up = ancestor(ctx.region_code, ("province",))
            return (up.name, up.code) if up else None
        if ctx.region_level == "province":   # 全市 in 北京市's report is 北京市; in a province's, no one city
            return own if ctx.region.endswith("市") else None
        if ctx.region_level == "county" and "市" in ref.name and not ctx.region.endswith("市"):
            up = ancestor(ctx.region_code, ("prefecture",))  # 全市 in a county's report: its city
            return (up.name, up.code) if up else own
        return own

    def _carried_part(self, r: RegionMention) -> str | None:
        """For the subject an earlier sentence hands on: 'part' when that sentence named a part or a
        group of it between it and its first value ('全区75个县级城市…'), 'average' when that part
        is the headline average over all of the region's counties, else None."""
        s_end = next((e for s, e in self.sentences if s <= r.start < e), r.end)
        found = None
        for m in catalog.cue_pattern("region", "part_of").finditer(self.text, r.end, s_end):
            if any(r.end <= x < m.start() for x in self.value_starts):
                break   # named after the sentence gave a value: not the subject's part
            first = next((x for x in self.value_starts if m.end() <= x < s_end), None)
            if first is None or PART_RANKED_IN.match(self.text, m.end(), first):
                continue
            if not self._headline_average(m, first):
                return "part"
            found = "average"
        return found

    def _earlier_region(self, sentence) -> RegionMention | None:
        """The region the paragraph's earlier sentences last gave a value for, when it stands
        alone (not one of a list, not a yardstick of a ranking)."""
        earlier = [r for r in self.regions if r.end <= sentence[0] and not self._is_ranking_context(r)]
        if not earlier:
            return None
        last = earlier[-1]
        if self._above_own(last):
            return None  # '获得四川省…补偿66万元' in a county's report: the granting province is no subject
        if last.level == "grouping" and self.ctx.region_level in ("province", "prefecture", "county"):
            return None  # '天山北坡城市群…' in a region's report: a part of it, for its own sentence only
        s_start, s_end = next(((s, e) for s, e in self.sentences if s <= last.start < e), (0, sentence[0]))
        if self._union([r for r in earlier if r.start >= s_start]) or self.text.startswith("等", last.end):
            return None
        # only a subject carries: the place its sentence gave a value for ('联合某省政府举办…' gives none)
        if not any(last.end <= x < s_end for x in self.value_starts):
            return None
        # a sentence listing several places ('其中,成都市为78.1%,自贡市为80.2%。') hands none on
        named = {r.name for r in self.regions if s_start <= r.start < s_end and r.level != "self"
                 and not self._is_ranking_context(r)}
        if len(named) > 1 or self.text[s_start:s_end].lstrip().startswith("其中"):
            return None
        if opens_on_part(self.text[s_start:s_end]):
            # '9个城市中,甲市优良天数比例最高。…PM2.5浓度为41': a part's sentence; the whole named before goes on
            return self._earlier_region((s_start, s_end))
        return last

    def _above_own(self, r: RegionMention) -> bool:
        """The region is one the document's own region lies in (the province of a county's report)."""
        if not (self.ctx.region_code and r.code) or r.level not in ("province", "prefecture"):
            return False
        up = ancestor(self.ctx.region_code, (r.level,))
        return bool(up and up.code == r.code and up.code != self.ctx.region_code)

    def _is_ranking_context(self, r: RegionMention) -> bool:
        """'排名宣城市第一', '在汾渭平原11个城市中排名第3', '高于全国均值': a yardstick, not the subject."""
        return bool(RANKED_BEFORE.search(self.text, max(0, r.start - 3), r.start)
                    or RANKED_AFTER.match(self.text, r.end) or national_honour(self.text, r)
                    or set_apart(self.text, r)   # '除甲县…外,…': the others' figure
                    or catalog.cue_pattern("region", "dangling_list_item").match(self.text, r.end)   # '西安、PM2.5…'
                    or (agency_named(self.text, r) and self._above_own(r)))   # the office over a county's report

    def _union(self, before: list[RegionMention]) -> str | None:
        """'七大流域及浙闽片河流、西北诸河和西南诸河', '海口、拉萨…雅安等': several regions
        together (not paired with values by 分别) are their union, as written."""
        last = before[-1]
        first = last
        for r in reversed(before[:-1]):
            gap = self.text[r.end:first.start]
            if not re.fullmatch(r"[、和及与]|[^，,；;。]{0,8}[、和及与]", gap) or HAS_DIGIT.search(gap):
                break
            first = r
        # '其中香格里拉、丽江、大理、芒市、楚雄优良天数比例为100%': names the gazetteer does not know
        # (or keeps out) listed before the first one it knows make a list all the same
        start = first.start
        while (m := UNKNOWN_MEMBER.search(self.text, max(0, start - 8), start)) is not None:
            start = m.start(1)
        listed = first is not last or start < first.start
        if not listed and not self.text.startswith("等", last.end):
            return None
        return self.p.text[start:last.end + (1 if self.text.startswith("等", last.end) else 0)]
