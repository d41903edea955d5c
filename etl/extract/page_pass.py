"""What is decided once the whole page is read: each step looks at all of a page's metrics."""
from __future__ import annotations

from etl.extract.counted_groups import set_apart_groups
from etl.extract.document_fallback import lend_document_facts
from etl.extract.goal_lists import settle_goal_lists
from etl.extract.joint_subjects import split_joint_subjects
from etl.extract.place_counts import drop_place_counts
from etl.extract.restated import drop_restated_headline
from etl.extract.rounded import drop_rounded
from etl.extract.scoped import set_apart_parts
from etl.extract.subtypes import set_apart_subtypes
from etl.extract.subjects import settle_averages
from etl.model import DocContext, Metric, Paragraph


def settle_page(metrics: list[Metric], paragraphs: list[Paragraph], ctx: DocContext) -> list[Metric]:
    metrics = sorted(metrics, key=lambda m: (m.paragraph_seq, m.para_start))
    metrics = set_apart_parts(settle_averages(metrics, ctx.region_source), paragraphs)
    metrics = set_apart_groups(split_joint_subjects(metrics, paragraphs), paragraphs)   # ('7个通道城市…' beside '全省…')
    metrics = set_apart_subtypes(metrics)   # ('人工造林' beside '完成造林…': one kind of the whole)
    metrics = drop_rounded(metrics, paragraphs)   # ('超116亿元' beside '116.87亿元': rounded)
    metrics = drop_place_counts(metrics, paragraphs)   # ('有6个县市…超过70%': a mark, no level)
    metrics = settle_goal_lists(metrics, paragraphs)   # ('各市考核指标为,甲市…;' and the rows under it: goals)
    metrics = drop_restated_headline(metrics, paragraphs, ctx)   # (a title giving the text's figure again)
    return lend_document_facts(metrics, paragraphs, ctx)   # values that name no year or place: the page's one
