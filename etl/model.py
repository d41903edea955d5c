"""The records that flow between the ETL stages.

ingest -> RawDocument -> clean -> CleanText -> segment -> [Paragraph]
       -> extract -> [Metric] -> load (DuckDB, see schema.sql)
"""
from __future__ import annotations

from dataclasses import dataclass, field


class IngestError(Exception):
    """A file that cannot be read as a document; the message says why, for a person."""


@dataclass
class RawDocument:
    """What ingest read out of one file: its text and where that text came from."""

    path: str                 # as given to ingest
    format: str               # 'txt', 'html', 'docx', 'pdf'
    text: str                 # decoded text / main text / text layer; all offsets index into it
    sha256: str               # of the file's bytes
    size_bytes: int
    encoding: str | None = None        # detected encoding for text formats
    title: str | None = None           # <title>, docx core title, pdf metadata, when present
    published: str | None = None       # ISO date from metadata when present (YYYY-MM-DD)
    page_starts: list[int] = field(default_factory=list)  # PDF: offset in text where each page starts
    warnings: list[str] = field(default_factory=list)     # readable, but damaged (e.g. truncated UTF-8): recorded in ingest_errors


@dataclass
class Paragraph:
    seq: int
    raw_start: int            # span in RawDocument.text
    raw_end: int
    text: str                 # cleaned, original script
    simplified: str           # same length as text, simplified script, for matching
    heading: str | None = None
    page: int | None = None
    clean_start: int = 0      # where `text` starts in the clean text (maps metric spans back to raw)


@dataclass
class Metric:
    indicator_id: str | None
    indicator: str
    phrase: str
    region: str | None        # None: the text does not tell whose value it is (全省 with no province named)
    region_code: str | None
    year: int | None
    months: str
    kind: str                 # 'actual', 'target', 'change'
    value: float
    value_high: float | None
    unit: str | None
    qualifier: str
    value_text: str
    para_start: int           # span of value_text in Paragraph.text
    para_end: int
    evidence_start: int       # the sentence holding the value, in Paragraph.text
    evidence_end: int
    confidence: float
    paragraph_seq: int = -1
    change_verb: str = ""     # for a change, the word that gives its sign ('下降', '改善'), as matched
    # how year, months and region were decided (schema.sql, metrics.year_source): 'clause',
    # 'sentence', 'paragraph', 'heading', 'lead', 'dateline', 'title', 'document', 'default' or 'unresolved'
    year_source: str = "default"
    period_source: str = "default"
    region_source: str = "default"

    def unplace(self) -> None:
        """The text does not tell whose value this is after all (a part's figure beside its whole's):
        region unresolved, and confidence lowered below the export cut."""
        self.region, self.region_code, self.region_source = None, None, "unresolved"
        self.confidence = round(max(0.05, self.confidence - 0.5), 2)


@dataclass
class DocContext:
    """Facts about a whole document that its values depend on (read by etl.context)."""
    title: str | None
    publisher: str | None
    published: str | None          # YYYY-MM-DD
    report_year: int | None        # the year the document mainly reviews
    report_year_explicit: bool     # stated by the document ('总结2024年…'), not guessed from frequency
    default_months: str            # the period a periodic release covers ('1-11'), else '1-12'
    region: str | None             # canonical region name, '全国' for national documents; None when the
    region_code: str | None        # document speaks of itself (全省, 我县) without saying which region it is
    region_level: str
    # how the facts above were decided, in the vocabulary of metrics.year_source (schema.sql):
    # 'title', 'lead' (the opening sentences), 'dateline' (今年 against the publication date),
    # 'default' (a guess: the most frequent year, a national document), 'unresolved'
    report_year_source: str = "default"
    months_source: str = "default"
    region_source: str = "default"
    anchor_year: int | None = None  # the year 今年 means: the publication year, else the year the lead states
    lead_periods: tuple[str, ...] = ()  # every period the lead or title announces ('8', '1-8')
    # the year a period is written with wherever the page names it ('2021年5月'), for the same months named bare
    stated_periods: tuple[tuple[str, int], ...] = ()
    relative_undated: bool = False  # a repost whose original's date is lost: 今年/去年 mean no year one can tell
    overruled_region: str | None = None   # a headline's province that the page's body overrules (titled_place)
