"""A list of goals: an announcement ('各市空气质量考核指标为,', '年度目标如下:') followed by the
figures it sets, place after place, in its paragraph and in the rows under it (one place a line).

The reader decides a value's kind from its own clause and its sentence's lead; a goal announced
once for a list reaches further: every figure after the announcement in its paragraph, and the
paragraphs that go on with the same measures, are goals. The list ends at a paragraph that names
a year of its own, says what was reached or compares with the year before (cues.toml [kind]
goal_list_end), gives no figure, or gives one of another measure.
"""
from __future__ import annotations

from etl.catalog import cue_pattern
from etl.extract.matchers import YEAR_MENTION
from etl.model import Metric, Paragraph

# characters before an announcement, in its clause, where a goal met or measured against is told
NOT_AFTER_REACH = 10


def _announced_at(text: str) -> int | None:
    """The end of the first goal-list announcement in the paragraph, if any."""
    not_after = cue_pattern("kind", "goal_list_not_after")
    for m in cue_pattern("kind", "goal_list").finditer(text):
        before = text[max(0, m.start() - NOT_AFTER_REACH):m.start()]
        before = before[max(before.rfind(c) for c in ",，;；。:：") + 1:]
        if not not_after.search(before):
            return m.end()
    return None


def settle_goal_lists(metrics: list[Metric], paragraphs: list[Paragraph]) -> list[Metric]:
    """Turn the measured-looking figures of an announced list of goals into goals."""
    by_paragraph: dict[int, list[Metric]] = {}
    for m in metrics:
        by_paragraph.setdefault(m.paragraph_seq, []).append(m)
    end = cue_pattern("kind", "goal_list_end")
    for seq, p in enumerate(paragraphs):
        if (at := _announced_at(p.simplified)) is None:
            continue
        read = by_paragraph.get(seq, [])
        # (in its own paragraph the list ends where a year or what was reached is told: '…;完成情况:…')
        stop = min([x.start() for x in (end.search(p.simplified, at), YEAR_MENTION.search(p.simplified, at)) if x]
                   or [len(p.simplified)])
        listed = [m for m in read if m.indicator_id and at <= m.para_start < stop and m.kind == "actual"]
        if not listed and paragraphs[seq].simplified[at:].strip():
            continue   # (an announcement ending its paragraph, '目标如下:', lists its goals in the rows under it)
        measures = {m.indicator_id for m in listed}
        rows = [listed]
        for nxt in range(seq + 1, len(paragraphs)):
            text = paragraphs[nxt].simplified
            row = [m for m in by_paragraph.get(nxt, []) if m.indicator_id]
            if (not row or YEAR_MENTION.search(text) or end.search(text)
                    or any(m.kind != "actual" or (measures and m.indicator_id not in measures) for m in row)):
                break
            measures = measures or {m.indicator_id for m in row}   # (the first row under '如下:' sets them)
            rows.append(row)
        # the one year the announcement names is the goals' year ('2022年…目标如下:'), for rows naming none
        years = {int(y.group(1)) for y in YEAR_MENTION.finditer(p.simplified, 0, at) if not y.group(2)}
        for row in rows:
            for m in row:
                if m.kind == "actual":
                    m.kind = "target"
                if m.year is None and len(years) == 1:
                    m.year, m.year_source = next(iter(years)), "paragraph"
    return metrics
