"""Interface text in Chinese (default) and English, and how values and periods are written.

`t(key)` reads the language the app settled on for this run (session state "lang",
set by state.read_lang). The formatting helpers take the language explicitly so
that chart building stays free of Streamlit.
"""
from __future__ import annotations

import streamlit as st

import etl.warehouse as wh

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

LABELS: dict[str, tuple[str, str]] = {
    # app
    "app_title": ("生态环境指标库", "Environmental indicators warehouse"),
    "page_trends": ("趋势", "Trends"),
    "page_regions": ("地区对比", "Regions"),
    "page_document": ("文档", "Document"),
    "page_search": ("全文检索", "Search"),
    "page_data": ("数据目录与下载", "Data"),
    "language": ("语言", "Language"),
    "share": ("分享此视图", "Share this view"),
    "share_help": ("链接包含当前所有设置，点击右上角图标复制。",
                   "The link holds every setting of this view; copy it with the icon on the right."),
    "building": ("首次启动：正在从 data/raw 构建数据仓库…", "First start: building the warehouse from data/raw…"),
    "build_missing": ("数据仓库不存在，且 ETL 尚不可用（etl.warehouse）。请先运行 `python -m etl build`。",
                      "The warehouse is missing and the ETL (etl.warehouse) is not available yet. Run `python -m etl build` first."),
    "build_failed": ("构建数据仓库失败：{error}", "Building the warehouse failed: {error}"),
    "prebuilt_installing": ("首次启动：正在安装预构建的数据仓库…", "First start: installing the prebuilt warehouse…"),
    "prebuilt_failed": ("预构建的数据仓库不可用（{reason}），改为从文档构建。",
                        "The prebuilt warehouse could not be used ({reason}); building it from the documents instead."),
    "prebuilt_kept": ("预构建的数据仓库不可用（{reason}），继续使用本地的数据仓库。",
                      "The prebuilt warehouse could not be used ({reason}); the local warehouse is kept."),
    "uploads_loading": ("正在载入重启前添加的 {n} 份文档，完成后自动显示。",
                        "Loading {n} document(s) added before the restart; they appear when done."),
    "warehouse_empty": ("数据仓库中还没有指标数据。", "The warehouse holds no metrics yet."),
    "built_at": ("数据构建于 {when}", "Data built {when}"),
    # URL validation
    "bad_param": ("链接参数 “{name}={value}” 无效，已改用默认值。",
                  "The link's “{name}={value}” is not valid here; using the default instead."),
    "dropped_regions": ("未知地区已忽略：{value}", "Unknown regions ignored: {value}"),
    "unknown_page": ("未知页面 “{value}”。", "Unknown page “{value}”."),
    # common controls
    "indicator": ("指标", "Indicator"),
    "regions": ("地区", "Regions"),
    "choose": ("请选择", "Choose"),
    "region": ("地区", "Region"),
    "years": ("年份", "Years"),
    "year": ("年份", "Year"),
    "period": ("时段", "Period"),
    "period_help": ("全年值与月度/累计值（如 1–9 月）不可直接比较，因此一次只显示一个时段；默认为全年。",
                    "Whole-year values and month or year-to-date values (e.g. Jan–Sep) are not comparable, "
                    "so one period is shown at a time; whole year by default."),
    "series": ("数据类型", "Series"),
    "series_all": ("实际与目标", "Actual + target"),
    "series_actual": ("实际值", "Actual"),
    "series_target": ("目标值", "Target"),
    "series_change": ("变化", "Change"),
    "tab_chart": ("图表", "Chart"),
    "tab_table": ("表格", "Table"),
    "tab_map": ("地图", "Map"),
    "image_format": ("工具栏图片格式", "Toolbar image format"),
    "image_format_help": ("图表右上角相机按钮下载的格式。", "What the camera button at the chart's top right downloads."),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_xlsx": ("下载 XLSX", "Download XLSX"),
    "download_note": ("下载文件包含来源列（文档、段落编号、原文句子），每个数字都可追溯。",
                      "Downloads carry the source columns (document, paragraph id, sentence), so every number keeps its citation."),
    "no_data": ("所选条件下没有数据。", "No data for this selection."),
    "no_value": ("无数据", "no data"),
    "no_data_regions": ("以下地区在此条件下没有数据：{value}", "No data here for: {value}"),
    "pick_region": ("请至少选择一个地区。", "Pick at least one region."),
    "click_hint": ("点击图中的点查看原文出处。", "Click a point to see the passage it was read from."),
    "click_hint_bar": ("点击条形查看原文出处。", "Click a bar to see the passage it was read from."),
    # drill-down
    "source": ("来源", "Source"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    "passage": ("原文句子", "Passage"),
    "n_reports": ("报告数", "Reports"),
    "indicator_col": ("指标", "Indicator"),
    "drill_title": ("数据出处", "Where this number comes from"),
    "close": ("关闭", "Close"),
    "open_document": ("在文档中查看此段落", "Open the document at this passage"),
    "published": ("发布日期", "Published"),
    "unknown_date": ("未注明日期", "undated"),
    "origin": ("原文出处", "Origin"),
    "origin_unknown": ("未记录（原文网址不详）", "not recorded (web address unknown)"),
    "retrieved": ("获取于 {when}", "retrieved {when}"),
    "also_at": ("亦见于", "also at"),
    "origin_notes": ("备注", "Notes"),
    "chart_sources": ("数据来源", "Sources"),
    "chart_sources_more": ("另有 {n} 份文件", "and {n} more documents"),
    "unresolved_region": ("地区未定", "region unresolved"),
    "scale": ("纵轴", "Scale"),
    "scale_linear": ("数值", "Values"),
    "scale_log": ("对数", "Log"),
    "scale_index": ("相对首年（=100）", "Relative (first year = 100)"),
    "scale_help": ("对数轴便于比较增长率；“相对首年”把每条线的第一年设为 100。",
                   "A log axis compares growth rates; 'relative' sets each line's first year to 100."),
    "index_axis": ("指数（首年 = 100）", "Index (first year = 100)"),
    "chart_source": ("来源：{docs}", "Source: {docs}"),
    "chart_more_docs": ("等 {n} 份文档", "and {n} more documents"),
    "chart_date": ("生态环境指标库 · 数据构建于 {built} · 导出于 {today}", "Environmental indicators warehouse · data built {built} · exported {today}"),
    "scope": ("范围", "Scope"),
    "change_verb": ("变化用词", "Change word"),
    "reports": ("报告此数据的文档", "Documents reporting this point"),
    "disagree": ("各文档数值不一致：{values}", "The documents disagree: {values}"),
    "agree": ("{n} 份文档数值一致。", "{n} documents agree."),
    "conflict_marker": ("来源不一致", "Sources disagree"),
    # how the year, period and region of a value were decided (metrics.year_source …, schema.sql)
    "provenance": ("年份：{year} · 时段：{period} · 地区：{region}", "Year: {year} · Period: {period} · Region: {region}"),
    "src_clause": ("来自所在分句", "from its clause"),
    "src_sentence": ("来自所在句子", "from its sentence"),
    "src_paragraph": ("来自段落", "from the paragraph"),
    "src_heading": ("来自小标题", "from the section heading"),
    "src_lead": ("来自导语", "from the lead"),
    "src_dateline": ("来自发布日期或来源", "from the dateline"),
    "src_title": ("来自标题", "from the title"),
    "src_document": ("来自全文", "from the page as a whole"),   # its one year or place (document_fallback)
    "src_default": ("默认", "by default"),
    "src_unresolved": ("无法确定", "unresolved"),
    # regions page
    "map_missing": ("缺少省级边界文件 data/geo/china_provinces.geojson，暂不显示地图。",
                    "The province boundaries (data/geo/china_provinces.geojson) are missing, so no map is shown."),
    "map_no_provinces": ("此条件下没有省级数据。", "No provincial data for this selection."),
    "map_too_few": ("仅 {n} 个省份有数据（少于 {min} 个），颜色只表示有数据，不作比较。",
                    "Provinces with data: {n}, fewer than {min}: the colour only marks data, it compares nothing."),
    "map_inset": ("南海诸岛", "South China Sea Islands"),
    "kind": ("类型", "Kind"),
    # document page
    "document": ("文档", "Document"),
    "doc_meta": ("文档信息", "About this document"),
    "no_documents": ("数据仓库中没有文档。", "The warehouse holds no documents."),
    "values_marked": ("已标出 {n} 个提取的数值；鼠标悬停查看指标、地区、年份和类型。",
                      "{n} extracted values are marked; hover for indicator, region, year and kind."),
    "meta_file": ("文件", "File"),
    "meta_publisher": ("发布单位", "Publisher"),
    "meta_report_year": ("报告年度", "Year reviewed"),
    "meta_region": ("地区", "Region"),
    "meta_format": ("格式", "Format"),
    "meta_paragraphs": ("段落数", "Paragraphs"),
    "meta_metrics": ("数值数", "Values"),
    "meta_sha": ("SHA-256", "SHA-256"),
    # search page
    "search_box": ("检索词", "Search terms"),
    "search_placeholder": ("如：PM2.5 浓度、优良天数、黑臭水体", "e.g. PM2.5, 优良天数, 黑臭水体"),
    "search_unavailable": ("全文检索模块（etl/warehouse/search/query.py）尚未就绪。", "Full-text search (dashboard/search.py) is not available yet."),
    "search_failed": ("检索出错：{error}", "Search failed: {error}"),
    "all_documents": ("全部文档", "All documents"),
    "hits": ("共 {n} 条结果", "{n} results"),
    "no_hits": ("没有找到结果。", "No results."),
    "search_intro": ("输入检索词，在全部段落中查找。", "Type search terms to search every paragraph."),
    # data page
    "tab_catalog": ("指标目录与覆盖", "Catalog and coverage"),
    "tab_conflicts": ("数据冲突", "Conflicts"),
    "tab_errors": ("导入错误", "Ingest errors"),
    "tab_downloads": ("全部下载", "Downloads"),
    "coverage_matrix": ("覆盖情况：每个单元格为有数据的地区数", "Coverage: each cell counts the regions with data"),
    "coverage_regions": ("{indicator}：各地区各年份的数据条数", "{indicator}: values per region and year"),
    "conflicts_intro": ("同一指标、地区、年份、时段与类型，在不同文档（或同一文档两次）中读到不同数值。仅展示，不做平均。",
                        "The same indicator, region, year, period and kind read with different values from different "
                        "documents (or twice from one). Shown, never averaged."),
    "n_conflicts": ("共 {n} 处冲突", "{n} conflicts"),
    "conflict_pick": ("点选一行，查看该冲突的全部报告。", "Select a row to see every report of that conflict."),
    "conflict_reports": ("该冲突的全部报告：{point}", "Every report of this conflict: {point}"),
    "no_conflicts": ("没有数据冲突。", "No conflicts."),
    "no_errors": ("没有导入错误。", "No ingest errors."),
    "downloads_intro": ("下载整个数据仓库：全部指标数值及来源列，或 DuckDB 文件本身。",
                        "Download the whole warehouse: every value with its source columns, or the DuckDB file itself."),
    "download_parquet": ("下载 Parquet", "Download Parquet"),
    "download_outside": ("包括目录外的数值", "Include values outside the catalog"),
    "download_outside_help": ("默认只导出目录内指标的数值；目录外的数值以其描述的短语命名，未经核对。",
                              "By default only values of catalog indicators; values outside the catalog are named by "
                              "the phrase they describe and are unchecked."),
    "xlsx_too_long": ("数值超过 Excel 工作表的 {n} 行上限，请下载 CSV 或 Parquet。",
                      "More values than an Excel worksheet holds ({n} rows): download CSV or Parquet."),
    "download_duckdb": ("下载 DuckDB 文件", "Download the DuckDB file"),
    "counts": ("{docs} 份文档 · {paras} 个段落 · {metrics} 个数值", "{docs} documents · {paras} paragraphs · {metrics} values"),
    # adding documents (data page, dashboard/upload.py)
    "tab_upload": ("添加文档", "Add documents"),
    "upload_intro": ("上传环境报告（TXT、HTML、DOCX 或 PDF，每个文件不超过 {mb} MB）。文件保存在原始文档目录的 "
                     "uploads/ 下，由同一 ETL 处理，处理成功后数值立即出现在各页面中。",
                     "Add reports (TXT, HTML, DOCX or PDF, up to {mb} MB each). Files are kept under uploads/ in "
                     "the documents folder and read by the same ETL; their values show on every page as soon as "
                     "they are loaded."),
    "upload_label": ("选择文件", "Choose files"),
    "upload_button": ("添加到数据仓库", "Add to the warehouse"),
    "upload_review_button": ("读取并预览", "Read and review"),
    "upload_review_title": ("请核对读取到的数值，确认后再添加：", "Check the values read before adding them:"),
    "upload_review_file": ("{file}：读取到 {n} 个数值", "{file}: {n} values read"),
    "upload_cancel": ("取消", "Cancel"),
    "uploaded_documents": ("已添加的文档", "Added documents"),
    "upload_remove": ("移除", "Remove"),
    "upload_removing": ("正在移除 {file}…", "Removing {file}…"),
    "upload_removed": ("已移除 {file}，其数值已从数据仓库中删除。", "Removed {file}; its values are out of the warehouse."),
    "upload_not_removable": ("{file} 不是从此处添加的文档，不能移除。", "{file} was not added here and cannot be removed."),
    "col_sentence": ("原文句子", "Sentence"),
    "col_months": ("时段", "Period"),
    "col_confidence": ("置信度", "Confidence"),
    "upload_processing": ("正在处理 {file}…", "Processing {file}…"),
    "upload_ok": ("已添加 {file}（保存为 {stored}）：{paragraphs} 个段落，{metrics} 个数值。",
                  "Added {file} (stored as {stored}): {paragraphs} paragraphs, {metrics} values."),
    "upload_warned": ("{file} 已添加，但读取时有问题：{error}", "{file} was added, but reading it found: {error}"),
    "upload_open": ("在文档页查看", "Open it on the Document page"),
    "upload_unchanged": ("未做任何更改。", "Nothing was changed."),
    "upload_empty": ("{file}：文件为空。", "{file}: the file is empty."),
    "upload_too_big": ("{file}：文件过大（{size}），上限为 {limit}。",
                       "{file}: the file is too big ({size}); the limit is {limit}."),
    "upload_bad_type": ("{file}：不接受 “{ext}” 类型的文件，仅接受 {allowed}。",
                        "{file}: “{ext}” files are not taken; only {allowed}."),
    "upload_mismatch": ("{file}：文件内容是 {found}，与扩展名 {ext} 不符。",
                        "{file}: the content is {found}, which does not match the extension {ext}."),
    "upload_unreadable": ("{file}：无法读取该文档：{error}", "{file}: the document cannot be read: {error}"),
    "upload_duplicate": ("{file}：与已有文档 {existing} 内容完全相同，未重复添加。",
                         "{file}: same bytes as {existing}, which is already in the warehouse."),
    "upload_would_drop": ("{file}：数据仓库不是由 {folder} 中的文档构建的（添加后将从 {before} 份文档变为 {after} 份）；"
                          "请先运行 python -m etl build。",
                          "{file}: the warehouse was not built from the documents in {folder} (adding would take it "
                          "from {before} to {after} documents); run python -m etl build first."),
    "upload_link": ("原文网址（可选）", "Web address of the report (optional)"),
    "upload_link_help": ("报告发布的网页（http 或 https），记录为文档出处；一次上传一个文件时适用。",
                         "The page the report was published at (http or https), kept as the document's "
                         "origin; used when one file is uploaded."),
    "upload_bad_link": ("{file}：网址 “{url}” 不是 http 或 https 链接。", "{file}: “{url}” is not an http or https link."),
    "links_title": ("按网址添加", "Add by link"),
    "links_label": ("报告网址，每行一个", "Links to reports, one a line"),
    "links_help": ("逐个礼貌地下载（每个站点一次一个请求，有超时与大小限制），原样保存并记录出处，然后由同一 ETL 处理。",
                   "Fetched politely one at a time (one request per site at a time, a timeout and a size limit), "
                   "stored as received with their origin, then processed by the same ETL."),
    "links_button": ("下载并添加", "Fetch and add"),
    "links_fetching": ("正在下载 {n} 个网址…", "Fetching {n} links…"),
    "link_ok": ("{url}：{outcome}（{file}）", "{url}: {outcome} ({file})"),
    "link_failed": ("{url}：失败：{error}", "{url}: failed: {error}"),
    "links_built": ("数据仓库已更新：{documents} 份文档，{metrics} 个数值。",
                    "The warehouse was updated: {documents} documents, {metrics} values."),
    "upload_failed": ("{file}：处理失败：{error}", "{file}: processing failed: {error}"),
    # values whose region is unresolved (data page)
    "tab_unresolved": ("地区未定", "Unresolved regions"),
    "unresolved_intro": ("以下数值无法确定所属地区（如文档所属地区未知时的“全市”“全县”）：不计入任何地区的序列、排名与地图，"
                         "只在其文档中标出。",
                         "These values' region could not be decided (全市/全县 in a document whose own region is unknown): "
                         "they are in no region's series, ranking or map, only marked on their document."),
    "n_unresolved": ("共 {n} 个地区未定的数值", "{n} values with an unresolved region"),
    "no_unresolved": ("所有数值的地区均已确定。", "Every value's region is resolved."),
    # column headers
    "col_indicator_id": ("指标代码", "Indicator id"),
    "col_name_zh": ("中文名称", "Chinese name"),
    "col_name_en": ("英文名称", "English name"),
    "col_category": ("类别", "Category"),
    "col_n_values": ("数值数", "Values"),
    "col_n_regions": ("地区数", "Regions"),
    "col_n_documents": ("文档数", "Documents"),
    "col_first_year": ("起始年份", "First year"),
    "col_last_year": ("最近年份", "Last year"),
    "col_min_value": ("最小值", "Lowest"),
    "col_max_value": ("最大值", "Highest"),
    "col_file": ("文件", "File"),
    "col_stage": ("阶段", "Stage"),
    "col_error": ("错误", "Error"),
    "col_logged_at": ("记录时间", "Logged at"),
    "col_sha256": ("SHA-256", "SHA-256"),
    "col_key": ("项目", "Key"),
    # kinds
    "kind_actual": ("实际值", "Actual"),
    "kind_target": ("目标值", "Target"),
    "kind_change": ("变化", "Change"),
    "kind_margin": ("与目标之差", "Margin to target"),
}

CATEGORIES_EN = {
    "大气": "Air", "水": "Water", "土壤": "Soil", "生态": "Ecology", "气候": "Climate",
    "声环境": "Noise", "执法": "Enforcement", "资金": "Funding",
}

UNITS_EN = {  # the catalog's units, for English readers
    "微克/立方米": "µg/m³", "毫克/立方米": "mg/m³", "天": "days", "亿立方米": "100 million m³",
    "万亩": "10,000 mu", "亿千瓦": "100 GW", "亿吨": "100 Mt", "亿元": "100 million yuan",
    "元/吨": "yuan/t", "万件": "10,000 cases", "万户": "10,000 households", "万平方公里": "10,000 km²",
    "起": "incidents", "万个": "10,000", "个百分点": "percentage points",
}

MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def current_lang() -> str:
    lang = st.session_state.get("lang", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def text(key: str, lang: str, **values) -> str:
    zh, en = LABELS[key]
    template = en if lang == "en" else zh
    return template.format(**values) if values else template


def t(key: str, **values) -> str:
    """The label `key` in the current language, with {placeholders} filled in."""
    return text(key, current_lang(), **values)


def category_label(category: str, lang: str) -> str:
    return CATEGORIES_EN.get(category, category) if lang == "en" else category


def indicator_label(name_zh: str, name_en: str, category: str, lang: str) -> str:
    """'大气 · PM2.5浓度（PM2.5 concentration）': grouped by category, both names."""
    if lang == "en":
        return f"{category_label(category, lang)} · {name_en} ({name_zh})"
    return f"{category} · {name_zh}（{name_en}）"


def indicator_name(name_zh: str, name_en: str | None, lang: str) -> str:
    return name_en if lang == "en" and name_en else name_zh


def kind_label(kind: str, lang: str) -> str:
    key = f"kind_{kind}"
    return text(key, lang) if key in LABELS else kind


def unit_label(unit: str | None, lang: str) -> str:
    if not isinstance(unit, str):
        return ""
    return UNITS_EN.get(unit, unit) if lang == "en" else unit


def period_label(months: str, lang: str) -> str:
    """'1-12' -> 全年 / Full year; '1-9' -> 1–9月 / Jan–Sep; '7' -> 7月 / Jul."""
    if months == "1-12":
        return "Full year" if lang == "en" else "全年"
    parts = months.split("-")
    if not all(p.isdigit() and 1 <= int(p) <= 12 for p in parts) or len(parts) > 2:
        return months
    if lang == "en":
        return "–".join(MONTHS_EN[int(p) - 1] for p in parts)
    return "–".join(parts) + "月"


def format_number(value: float | None) -> str:
    """Plain decimal without float noise: 29.3, 45, 1,234, 0.25."""
    if value is None or value != value:  # None or NaN
        return "–"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def display_title(title, file) -> str:
    """A document's title, or its file name when the ETL found no title."""
    return title if isinstance(title, str) and title.strip() else str(file)


SCOPES_EN = {  # metrics.scope labels ([scope] of data/catalog/cues.toml)
    "县级及以上城市": "county-level and above cities", "县级城市": "county-level cities", "农村": "rural areas",
    "国控断面": "state-monitored sections", "省控断面": "province-monitored sections",
    "市控断面": "city-monitored sections", "建成区": "built-up areas", "重点城市": "key cities",
}


def region_label(region, lang: str) -> str:
    """A region as shown: its English name in English (data/catalog/regions.csv name_en), the
    Chinese name otherwise; an unresolved (NULL) region says so."""
    if region is None or region != region:
        return text("unresolved_region", lang)
    return wh.region_names_en().get(region, region) if lang == "en" else str(region)


def scope_label(scope, lang: str) -> str:
    if not isinstance(scope, str) or not scope:
        return ""
    return SCOPES_EN.get(scope, scope) if lang == "en" else scope


def series_label(region, scope, lang: str) -> str:
    """'浙江省 · 县级城市': a region, narrowed by its scope when it has one."""
    narrowed = scope_label(scope, lang)
    return region_label(region, lang) + (f" · {narrowed}" if narrowed else "")


def date_label(value, lang: str) -> str:
    """A document's date, or the undated label."""
    if value is None or value != value:
        return text("unknown_date", lang)
    try:
        return str(value)[:10] if not hasattr(value, "date") else value.date().isoformat()
    except (TypeError, ValueError):
        return text("unknown_date", lang)


def column_labels(columns, lang: str) -> dict[str, str]:
    """Translated headers for a table's columns (col_<name> or the plain label), raw name otherwise."""
    out = {}
    for c in columns:
        for key in (f"col_{c}", c):
            if key in LABELS:
                out[c] = text(key, lang)
                break
    return out


def markdown_escape(text: str) -> str:
    """Warehouse text inside st.markdown/st.caption: no Markdown or HTML of its own."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|~" else ch for ch in str(text))


QUALIFIER_SIGNS = {">=": "≥", "<=": "≤", "~": "≈"}


def value_label(value: float, qualifier: str | None = "", value_high: float | None = None,
                kind: str | None = None) -> str:
    """'≥45', '≈200', '3,000–5,000': the number with what the text said about it; a change
    shows its sign ('+1.2', '-2.7': the warehouse stores a fall as a negative change)."""
    number = format_number(value)
    if kind == "change" and value is not None and value == value and value > 0:
        number = "+" + number
    if value_high is not None and value_high == value_high:
        number = f"{number}–{format_number(value_high)}"
    return QUALIFIER_SIGNS.get(qualifier or "", "") + number
