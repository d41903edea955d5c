"""A headline restating a figure of its text: '1月份我省优良天数比例为82%' over '今年1月份,我省优良天数
比例为82.0%,同比上升…'. The two are one value of one indicator, region and period; the text's
sentence is the one that says it in full (its precision, its comparison), so the headline's copy is
dropped. A headline figure the text does not give again stays: it may be the only one."""
from __future__ import annotations

from etl.model import DocContext, Metric, Paragraph


def _headline_seqs(paragraphs: list[Paragraph], ctx: DocContext) -> set[int]:
    """The paragraph(s) that are the page's headline: the line its title was taken from."""
    title = (ctx.title or "").strip()
    return {p.seq for p in paragraphs if title and p.text.strip() == title}


def drop_restated_headline(metrics: list[Metric], paragraphs: list[Paragraph], ctx: DocContext) -> list[Metric]:
    """The metrics without a headline's figures that a body sentence gives again, same key and value."""
    headline = _headline_seqs(paragraphs, ctx)
    if not headline:
        return metrics

    def key(m: Metric):
        return m.indicator_id, m.region, m.year, m.months, m.kind, round(m.value or 0.0, 6)

    said = {key(m) for m in metrics if m.paragraph_seq not in headline and m.indicator_id}
    return [m for m in metrics if not (m.paragraph_seq in headline and m.indicator_id and key(m) in said)]
