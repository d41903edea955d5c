-- The warehouse that `python -m etl build` writes and the dashboard reads.
-- Every metric points at the paragraph it was read from, and every paragraph at
-- its span of the document's ingested text, so each number can be cited.
--
-- Identifiers are stable across rebuilds: a document is named by the hash of
-- its bytes, a paragraph by its document and position, a metric by its
-- paragraph and position. Permalinks built on them keep working after a
-- rebuild as long as the document is unchanged.

CREATE TABLE documents (
    doc_id       VARCHAR PRIMARY KEY, -- first 16 hex digits of sha256
    file         VARCHAR NOT NULL,    -- path relative to the raw folder, e.g. 'uploads/x.txt'
    title        VARCHAR,             -- first heading-like line, cleaned
    publisher    VARCHAR,             -- 信息来源/发布单位/来源 when the page states it
    published    DATE,                -- 发布时间 or the dated line under the title
    report_year  INTEGER,             -- the year the document mainly reviews (a 2025 work report on 2024 gives 2024)
    region       VARCHAR,             -- the document's own region, resolving 我省/全市/该市
    script       VARCHAR,             -- 'simplified', 'traditional' or 'mixed'
    format       VARCHAR,             -- 'txt', 'html', 'docx', 'pdf'
    encoding     VARCHAR,             -- detected text encoding ('utf-8', 'gb18030', 'big5', 'utf-16'); NULL for binary formats
    sha256       VARCHAR NOT NULL,    -- of the file's bytes; a duplicate file is stored once
    size_bytes   BIGINT,
    n_chars      INTEGER,             -- length of the document's text (document_text)
    n_paragraphs INTEGER,
    n_metrics    INTEGER,
    ingested_at  TIMESTAMP,
    -- Origin, from the raw folder's sources.csv (written by `python -m etl fetch` and the upload
    -- form, or by hand): the first of the document's rows in document_sources; NULL when unknown.
    source_url   VARCHAR,             -- where it was published (http/https only)
    source_publisher VARCHAR,         -- publisher as sources.csv gives it (else see publisher, read in the text)
    source_published DATE,            -- publication date as sources.csv gives it (else see published)
    retrieved_at TIMESTAMP            -- when it was fetched from source_url (UTC)
);

-- Every known origin of every document: the same bytes fetched from two links are one
-- document with two rows here. Written from sources.csv by each build (etl/warehouse/sources.py).
CREATE TABLE document_sources (
    doc_id       VARCHAR NOT NULL,    -- documents.doc_id
    file         VARCHAR NOT NULL,    -- the file sources.csv names (a duplicate's name for a second copy)
    url          VARCHAR,             -- http(s) link it was published at; NULL when unknown
    final_url    VARCHAR,             -- where the redirects from url ended, when they did elsewhere
    publisher    VARCHAR,
    published    DATE,
    retrieved_at TIMESTAMP,           -- UTC
    notes        VARCHAR,             -- free text (e.g. why the origin is unknown)
    line         INTEGER NOT NULL     -- line in sources.csv: the first row of a document is its primary origin
);

-- The text of each document as ingested (decoded, text layer), in pieces of at most 65,536
-- characters (a document read in segments: each segment's last piece is shorter): the offsets raw_start and raw_end below index into the whole text, the
-- pieces joined in order. A span [a, b) is read from the pieces that overlap it (char_start < b
-- and char_start + length(text) > a), so that neither a build's worker nor a reader ever holds
-- a whole large document (etl.warehouse text_span).
CREATE TABLE document_text (
    doc_id       VARCHAR NOT NULL,
    piece        INTEGER NOT NULL,    -- 0-based
    char_start   BIGINT NOT NULL,     -- offset of its first character in the document's text
    text         VARCHAR NOT NULL
);
CREATE INDEX document_text_doc_id ON document_text (doc_id);

CREATE TABLE paragraphs (
    paragraph_id VARCHAR PRIMARY KEY, -- doc_id || '-' || seq
    doc_id       VARCHAR NOT NULL,
    seq          INTEGER NOT NULL,    -- 0-based position in the document
    page         INTEGER,             -- PDF page (1-based); NULL for other formats
    heading      VARCHAR,             -- the section heading in force (一、… / (二)…), cleaned
    raw_start    INTEGER NOT NULL,    -- span in the document's text (document_text), [raw_start, raw_end)
    raw_end      INTEGER NOT NULL,
    text         VARCHAR NOT NULL,    -- cleaned for display, original script kept
    text_simplified VARCHAR NOT NULL  -- same length as text, traditional -> simplified, for matching and search
);

CREATE TABLE metrics (
    metric_id    VARCHAR PRIMARY KEY, -- paragraph_id || '-' || k
    doc_id       VARCHAR NOT NULL,
    paragraph_id VARCHAR NOT NULL,
    indicator_id VARCHAR,             -- indicators.indicator_id; NULL for quantities outside the catalog
    indicator    VARCHAR NOT NULL,    -- canonical Chinese name, or the phrase described when outside the catalog
    phrase       VARCHAR,             -- the indicator as the text writes it
    region       VARCHAR,             -- canonical region name ('全国', '北京市', '京津冀及周边地区', '口市' as written);
                                      -- NULL when the text does not tell whose value it is (全省 in a report that never
                                      -- says which province): never guessed as '全国
    region_code  VARCHAR,             -- regions.code when the gazetteer knows it
    year         INTEGER,             -- the year the value describes; NULL when the text gives no way to tell
    months       VARCHAR NOT NULL,    -- '1-12' whole year, '1' January, '1-9' Jan–Sep ...
    kind         VARCHAR NOT NULL,    -- 'actual', 'target', 'change', or 'margin' (the distance to a target:
                                      -- 好于年度目标2.9, [margin] of cues.toml)
    value        DOUBLE NOT NULL,     -- in the catalog unit (for a range, its lower end); a change is signed: 下降2.7% is -2.7
    value_high   DOUBLE,              -- upper end of a range ('3000万至5000万'), else NULL
    unit         VARCHAR,             -- catalog unit, or the unit as written outside the catalog; '个百分点' for point changes
    qualifier    VARCHAR NOT NULL,    -- '' exact, '>=' 以上/超过/余/多, '<=' 以下/以内/不到, '~' 约/左右
    change_verb  VARCHAR NOT NULL DEFAULT '', -- kind 'change': the word giving its sign ('下降', '改善'); value is signed (a fall < 0)
    value_text   VARCHAR NOT NULL,    -- the number exactly as written, e.g. '29.3', '3.9', '两千'
    para_start   INTEGER NOT NULL,    -- span of value_text in paragraphs.text
    para_end     INTEGER NOT NULL,
    raw_start    INTEGER NOT NULL,    -- the same span in the document's text (document_text)
    raw_end      INTEGER NOT NULL,
    evidence_start INTEGER NOT NULL,  -- the sentence holding the value, as a span of paragraphs.text
    evidence_end INTEGER NOT NULL,
    confidence   DOUBLE NOT NULL,     -- 0..1: how sure the extractor is of indicator, region and year together
    -- How the year, the months and the region were decided, each one of:
    --   'clause'     stated in the value's own clause ('2024年1—8月，…为30', '较2019年同期(82.0%)', '北京市…')
    --   'sentence'   earlier in its sentence
    --   'paragraph'  in an earlier sentence of its paragraph
    --   'heading'    in the section heading above the paragraph
    --   'lead'       the document's opening sentences ('生态环境部通报了2022年8月和1—8月…', a region named at the top)
    --   'dateline'   the publication date ('今年前5月' in a page dated 2022-06-20) or the publisher ('来源：某市生态环境局')
    --   'title'      the document's title ('2023年四川省生态环境状况公报', '7月份空气质量：湖南…')
    --   'document'   the page's one year or place, lent to a value that names none (extract/document_fallback.py)
    --   'default'    nothing said it: the whole year, a national document, the year most often stated
    --   'unresolved' nothing can tell (year or region NULL)
    year_source  VARCHAR NOT NULL,
    period_source VARCHAR NOT NULL,
    region_source VARCHAR NOT NULL,
    scope        VARCHAR NOT NULL DEFAULT ''  -- the part of the region the figure covers ('县级城市', '农村', '国控断面' …,
                                      -- [scope] of data/catalog/cues.toml), '' the whole region
);
-- Stored sorted by indicator_id, region, year, months, with an index metrics_doc_id on
-- doc_id: both made at the end of a build (etl/load.py summarise).

CREATE TABLE indicators (
    indicator_id VARCHAR PRIMARY KEY, -- short English slug, e.g. 'pm25'
    name_zh      VARCHAR NOT NULL,    -- canonical Chinese name (shared/indicators.csv)
    name_en      VARCHAR NOT NULL,
    unit         VARCHAR NOT NULL,    -- catalog unit every value is converted to
    category     VARCHAR NOT NULL,    -- 大气, 水, 土壤, 生态, 气候, 声环境, 执法, 资金 ...
    aliases      VARCHAR,             -- '|'-separated ways reports write it
    higher_is_better BOOLEAN          -- for colouring changes; NULL when neutral
);

CREATE TABLE regions (
    code         VARCHAR PRIMARY KEY, -- administrative code (6 digits), or 'G-…' for groupings, '000000' for 全国
    name         VARCHAR NOT NULL,    -- full official name
    short_names  VARCHAR,             -- '|'-separated short forms (内蒙古, 成都)
    level        VARCHAR NOT NULL,    -- 'country', 'province', 'prefecture', 'county' (省直辖), 'special' (兵团), 'grouping'
    parent_code  VARCHAR,
    name_en      VARCHAR              -- English name: official for provinces, else Hanyu Pinyin (regions.csv name_en)
);

CREATE TABLE ingest_errors (
    file         VARCHAR NOT NULL,    -- path relative to the raw folder
    sha256       VARCHAR,
    stage        VARCHAR NOT NULL,    -- 'ingest', 'clean', 'extract', ...
    error        VARCHAR NOT NULL,    -- what went wrong, for a person
    logged_at    TIMESTAMP NOT NULL
);

CREATE TABLE build_info (
    key          VARCHAR PRIMARY KEY, -- 'built_at', 'fingerprint', 'seconds', ...
    value        VARCHAR
);

-- Derived at the end of a build (etl/load.py summarise), so that the dashboard reads a
-- few rows instead of grouping millions of metrics on every visit.

-- The same indicator, region, period, kind, scope and unit read with different values from
-- different documents (or twice from one). Shown to analysts, never averaged. Unresolved
-- regions take no part; changes and margins (好于目标2.9: kind 'change') are not compared.
CREATE TABLE conflicts (
    indicator_id VARCHAR NOT NULL,
    indicator    VARCHAR NOT NULL,
    region       VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    months       VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,    -- 'actual' or 'target' (changes are not compared)
    scope        VARCHAR NOT NULL,    -- metrics.scope
    unit         VARCHAR,             -- metrics.unit
    n_values     BIGINT NOT NULL,     -- distinct values reported
    n_documents  BIGINT NOT NULL,     -- documents reporting them
    n_reports    BIGINT NOT NULL,     -- metrics taking part: every metric of the point
    min_value    DOUBLE NOT NULL,
    max_value    DOUBLE NOT NULL
);

-- Every catalog indicator with how much data it has (with none: zeros and NULL years).
CREATE TABLE indicator_stats (
    indicator_id VARCHAR NOT NULL,    -- indicators.indicator_id
    n_values     BIGINT NOT NULL,     -- metrics
    n_dated      BIGINT NOT NULL,     -- metrics with a year: what the charts can draw
    n_regions    BIGINT NOT NULL,     -- distinct regions of its metrics
    n_documents  BIGINT NOT NULL,     -- distinct documents of its metrics
    first_year   INTEGER,             -- min(year), max(year) of its metrics
    last_year    INTEGER
);

-- Catalog indicator x year: how many regions and values (metrics with a year only).
CREATE TABLE coverage (
    indicator_id VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    n_regions    BIGINT NOT NULL,     -- distinct regions with a value
    n_values     BIGINT NOT NULL
);

-- Every region of a metric: how many values, and the years they describe (NULL when none
-- has a year); the dashboard's region lists and year bounds.
CREATE TABLE region_stats (
    region       VARCHAR NOT NULL,    -- metrics.region (unresolved values are counted in no region)
    n_values     BIGINT NOT NULL,
    first_year   INTEGER,
    last_year    INTEGER
);

-- Every value again, in the columns the Document page marks in the text (dashboard/queries.py
-- document_values), stored sorted by document, paragraph and offset: one document's values are
-- a few consecutive rows that DuckDB finds by its zone maps. In `metrics` (sorted by indicator)
-- they lie in every row group, and a document's first read loaded most of the table's blocks.
CREATE TABLE document_metrics (
    doc_id       VARCHAR NOT NULL,
    metric_id    VARCHAR NOT NULL,
    paragraph_id VARCHAR NOT NULL,
    para_start   INTEGER NOT NULL,
    para_end     INTEGER NOT NULL,
    indicator_id VARCHAR,
    indicator    VARCHAR NOT NULL,
    region       VARCHAR,
    year         INTEGER,
    months       VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    scope        VARCHAR NOT NULL,
    value        DOUBLE NOT NULL,
    value_high   DOUBLE,
    qualifier    VARCHAR NOT NULL,
    unit         VARCHAR,
    change_verb  VARCHAR NOT NULL
);

-- One row per point (indicator, region, year, period, kind, scope) of a catalog indicator with
-- a year: how many reports it has, their range, and the preferred report (the newest document's,
-- then the most confident, then the lowest metric_id: dashboard/queries.py PREFERENCE) with the
-- columns a chart and its citation need. region NULL: every unresolved value of the indicator,
-- year, period and kind together (counted by the period and year lists, never drawn). Sorted by
-- indicator_id, months, kind, year, region, so `WHERE indicator_id = ?` reads a few row groups
-- and a ranking (one indicator, period, kind and year) a few consecutive rows, its citations
-- (para_seq, passage) included.
CREATE TABLE points (
    indicator_id VARCHAR NOT NULL,
    region       VARCHAR,
    year         INTEGER NOT NULL,
    months       VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    scope        VARCHAR NOT NULL,
    n_reports    BIGINT NOT NULL,     -- metrics of the point
    min_value    DOUBLE NOT NULL,
    max_value    DOUBLE NOT NULL,
    -- the preferred report (metrics columns of that name)
    metric_id    VARCHAR NOT NULL,
    indicator    VARCHAR NOT NULL,
    region_code  VARCHAR,
    value        DOUBLE NOT NULL,
    value_high   DOUBLE,
    unit         VARCHAR,
    qualifier    VARCHAR NOT NULL,
    value_text   VARCHAR NOT NULL,
    change_verb  VARCHAR NOT NULL,
    doc_id       VARCHAR NOT NULL,
    paragraph_id VARCHAR NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    para_start   INTEGER NOT NULL,
    -- its citation, copied from paragraphs at the build: the paragraph's seq and the passage
    -- (export.py PASSAGE_SQL), so that a chart or ranking reads no paragraph text (a paragraph's
    -- text read the first time loads and decodes its block: most of a new ranking's time)
    para_seq     INTEGER,
    passage      VARCHAR
);
