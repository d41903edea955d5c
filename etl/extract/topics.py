"""The topic a paragraph opens on: '海洋环境质量方面，全省近岸海域…。国家考核点位优良水质比例为
80.6%。' — the second sentence names no body of water, the paragraph's opening label does
(cues.toml [link] topic_opener). Its words are read before the sentence's own when a generic
name is re-read by the water body spoken of (cues.toml [indicator_topic])."""
from __future__ import annotations


from etl import catalog



def paragraph_topic(paragraph: str) -> str:
    """The paragraph's opening topic label ('海洋环境质量方面'), or ''."""
    m = catalog.cue_pattern("link", "topic_opener").match(paragraph)
    return m.group(0) if m else ""
