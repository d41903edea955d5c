"""A small but realistic warehouse for the dashboard tests, built from etl/schema.sql.

Three documents are the real reports in data/raw (003: the 2025 national work
report; 001: a traditional-script review; 002: a city report with a redacted
name, targets and a January–October value). Four more are made up for the
tests, written like the bulletins they imitate, so that indicators have several
years, provinces (for the map), targets, a January–September period and a
conflict (Beijing 2023 PM2.5: 32 in the national bulletin, 32.2 in Beijing's).
Their files live under 'fixture/' so nobody mistakes them for sources.

Offsets are found by searching the value in its paragraph, exactly as the ETL
records them: para_start/para_end index paragraphs.text, raw_start/raw_end
index documents.raw_text, evidence_* is the sentence around the value.

Once the real ETL exists, the tests can point at its output instead; they read
their expectations out of the warehouse rather than from this file.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "etl" / "warehouse" / "schema.sql"
CATALOG = ROOT / "data" / "catalog" / "indicators.csv"
RAW = ROOT / "data" / "raw"

REGIONS = [  # code, name, short_names, level, parent_code
    ("000000", "全国", "全国|中国", "country", None),
    ("110000", "北京市", "北京", "province", "000000"),
    ("120000", "天津市", "天津", "province", "000000"),
    ("130000", "河北省", "河北", "province", "000000"),
    ("310000", "上海市", "上海", "province", "000000"),
    ("440000", "广东省", "广东", "province", "000000"),
    ("G-JJJ", "京津冀及周边地区", "2+26城市", "grouping", None),
]
REGION_CODES = {name: code for code, name, *_ in REGIONS}


@dataclass
class Doc:
    file: str
    paragraphs: list[str]
    title: str
    published: str | None
    report_year: int | None
    region: str | None
    publisher: str | None
    script: str = "simplified"
    format: str = "txt"
    raw_text: str | None = None   # real files: the text as read; else paragraphs joined
    raw_bytes: bytes | None = None


def _real_doc(name: str, **meta) -> Doc:
    data = next(RAW.glob(f"{name}_*.txt")).read_bytes()
    text = data.decode("utf-8")
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    file = next(RAW.glob(f"{name}_*.txt")).name
    return Doc(file=file, paragraphs=paragraphs, raw_text=text, raw_bytes=data, **meta)


def _made_up_doc(file: str, paragraphs: list[str], **meta) -> Doc:
    return Doc(file=file, paragraphs=paragraphs, **meta)


def documents() -> dict[str, Doc]:
    return {
        "work2025": _real_doc(
            "003", title="深化改革创新 奋力笃行实干", published="2025-01-14",
            report_year=2024, region="全国", publisher="生态环境部"),
        "review": _real_doc(
            "001", title="美麗中國建設成效綜述", published=None, report_year=2023,
            region="全国", publisher=None, script="traditional"),
        "city": _real_doc(
            "002", title="2023年7生态文明建设工作总结情况汇报", published=None,
            report_year=2023, region="口市", publisher=None),
        "bulletin2023": _made_up_doc(
            "fixture/2023年中国生态环境状况公报摘要.html", [
                "2023中国生态环境状况公报(摘要)",
                "2023年,全国339个地级及以上城市PM2.5平均浓度为30微克/立方米,同比上升3.4%;"
                "优良天数比例为85.5%,同比下降1.0个百分点;重污染天数比例为1.6%。",
                "京津冀及周边地区“2+26”城市PM2.5平均浓度为43微克/立方米,优良天数比例为63.1%。",
                "分省看,北京市PM2.5年均浓度为32微克/立方米,天津市为41微克/立方米,河北省为38.4微克/立方米,"
                "上海市为28微克/立方米,广东省为21微克/立方米。",
                "全国地表水优良水质断面比例为89.4%,劣Ⅴ类断面比例为0.7%。",
            ], title="2023中国生态环境状况公报(摘要)", published="2024-06-05",
            report_year=2023, region="全国", publisher="生态环境部", format="html"),
        "review2022": _made_up_doc(
            "fixture/十四五规划实施情况中期评估.docx", [
                "“十四五”生态环境保护规划实施情况中期评估",
                "2019年至2022年,全国地级及以上城市PM2.5平均浓度分别为36、33、30、29微克/立方米,"
                "优良天数比例分别为82.0%、87.0%、87.5%、86.5%。",
                "北京市PM2.5年均浓度由2019年的42微克/立方米降至2022年的30微克/立方米,"
                "其中2020年、2021年北京市分别为38、33微克/立方米。2022年,天津市、河北省、上海市、"
                "广东省PM2.5年均浓度分别为37、36.8、25、20微克/立方米。",
                "主要目标:2024年全国PM2.5浓度控制在32.4微克/立方米以内;到2025年,全国地级及以上城市"
                "PM2.5浓度控制在31.4微克/立方米以下,优良天数比例达到87.5%;北京市PM2.5浓度控制在"
                "35微克/立方米以下。",
            ], title="“十四五”生态环境保护规划实施情况中期评估", published="2023-03-15",
            report_year=2022, region="全国", publisher="生态环境部", format="docx"),
        "q3_2024": _made_up_doc(
            "fixture/2024年1-9月全国环境空气质量状况.html", [
                "生态环境部通报2024年1—9月全国环境空气质量状况",
                "2024年1—9月,全国339个地级及以上城市PM2.5平均浓度为28微克/立方米,同比下降3.4%;"
                "优良天数比例为86.3%。",
                "北京市PM2.5平均浓度为29微克/立方米,优良天数比例为76.2%。",
            ], title="生态环境部通报2024年1—9月全国环境空气质量状况", published="2024-10-20",
            report_year=2024, region="全国", publisher="生态环境部", format="html"),
        "beijing2023": _made_up_doc(
            "fixture/北京市2023年生态环境状况公报.pdf", [
                "北京市2023年生态环境状况公报",
                "2023年,全市PM2.5年均浓度为32.2微克/立方米,同比上升7.3%,连续三年达到国家二级标准。",
            ], title="北京市2023年生态环境状况公报", published="2024-05-08",
            report_year=2023, region="北京市", publisher="北京市生态环境局", format="pdf"),
    }


# doc, text that leads up to the value, value_text, indicator_id, region, year, months,
# kind, value, qualifier
METRICS = [
    ("work2025", "具体为", "29.3", "pm25", "全国", 2024, "1-12", "actual", 29.3, ""),
    ("work2025", "具体为29.3微克/立方米,同比下降", "2.7", "pm25", "全国", 2024, "1-12", "change", -2.7, ""),
    ("work2025", "优良天数比例为", "87.2", "good_air_share", "全国", 2024, "1-12", "actual", 87.2, ""),
    ("work2025", "重污染天数比例为", "0.9", "heavy_pollution_share", "全国", 2024, "1-12", "actual", 0.9, ""),
    ("work2025", "北京市PM 2.5 浓度为", "30.5", "pm25", "北京市", 2024, "1-12", "actual", 30.5, ""),
    ("work2025", "优良天数比例达到", "79.2", "good_air_share", "北京市", 2024, "1-12", "actual", 79.2, ""),
    ("work2025", "优良水质断面比例为", "90.4", "surface_water_good", "全国", 2024, "1-12", "actual", 90.4, ""),
    ("work2025", "近岸海域水质优良比例为", "83.7", "coastal_good", "全国", 2024, "1-12", "actual", 83.7, ""),
    ("work2025", "水质点位比例为", "77.9", "groundwater_i_iv", "全国", 2024, "1-12", "actual", 77.9, ""),
    ("work2025", "水质优良湖库个数占比为", "77.1", "lakes_good", "全国", 2024, "1-12", "actual", 77.1, ""),
    ("work2025", "农村生活污水治理率达到", "45", "rural_sewage", "全国", 2024, "1-12", "actual", 45.0, ">="),
    ("work2025", "新增完成", "2.5", None, "全国", 2024, "1-12", "actual", 2.5, ""),  # outside the catalog
    ("work2025", "累计配额成交量", "6.3", "carbon_volume", "全国", 2024, "1-12", "actual", 6.3, ""),
    ("work2025", "年底收盘价为", "97.49", "carbon_price", "全国", 2024, "1-12", "actual", 97.49, ""),
    ("review", "年均濃度從2013年的", "67.5", "pm25", "全国", 2013, "1-12", "actual", 67.5, ""),
    ("review", "下降至", "30", "pm25", "全国", 2023, "1-12", "actual", 30.0, ""),
    ("review", "非化石能源消費比重達到", "17.5", "non_fossil_share", "全国", 2022, "1-12", "actual", 17.5, ""),
    ("city", "用水总量控制在", "17.9", "water_use", "口市", 2025, "1-12", "target", 17.9, "<="),
    ("city", "再生水利用率分别达到", "40", "reclaimed_water", "口市", 2025, "1-12", "target", 40.0, ">="),
    ("city", "7、优良天数", "215", "good_air_days", "口市", 2023, "1-10", "actual", 215.0, ""),
    ("bulletin2023", "PM2.5平均浓度为", "30", "pm25", "全国", 2023, "1-12", "actual", 30.0, ""),
    ("bulletin2023", "优良天数比例为", "85.5", "good_air_share", "全国", 2023, "1-12", "actual", 85.5, ""),
    ("bulletin2023", "重污染天数比例为", "1.6", "heavy_pollution_share", "全国", 2023, "1-12", "actual", 1.6, ""),
    ("bulletin2023", "“2+26”城市PM2.5平均浓度为", "43", "pm25", "京津冀及周边地区", 2023, "1-12", "actual", 43.0, ""),
    ("bulletin2023", "北京市PM2.5年均浓度为", "32", "pm25", "北京市", 2023, "1-12", "actual", 32.0, ""),
    ("bulletin2023", "天津市为", "41", "pm25", "天津市", 2023, "1-12", "actual", 41.0, ""),
    ("bulletin2023", "河北省为", "38.4", "pm25", "河北省", 2023, "1-12", "actual", 38.4, ""),
    ("bulletin2023", "上海市为", "28", "pm25", "上海市", 2023, "1-12", "actual", 28.0, ""),
    ("bulletin2023", "广东省为", "21", "pm25", "广东省", 2023, "1-12", "actual", 21.0, ""),
    ("bulletin2023", "优良水质断面比例为", "89.4", "surface_water_good", "全国", 2023, "1-12", "actual", 89.4, ""),
    ("review2022", "浓度分别为", "36", "pm25", "全国", 2019, "1-12", "actual", 36.0, ""),
    ("review2022", "分别为36、", "33", "pm25", "全国", 2020, "1-12", "actual", 33.0, ""),
    ("review2022", "36、33、", "30", "pm25", "全国", 2021, "1-12", "actual", 30.0, ""),
    ("review2022", "33、30、", "29", "pm25", "全国", 2022, "1-12", "actual", 29.0, ""),
    ("review2022", "优良天数比例分别为", "82.0", "good_air_share", "全国", 2019, "1-12", "actual", 82.0, ""),
    ("review2022", "82.0%、", "87.0", "good_air_share", "全国", 2020, "1-12", "actual", 87.0, ""),
    ("review2022", "87.0%、", "87.5", "good_air_share", "全国", 2021, "1-12", "actual", 87.5, ""),
    ("review2022", "87.5%、", "86.5", "good_air_share", "全国", 2022, "1-12", "actual", 86.5, ""),
    ("review2022", "由2019年的", "42", "pm25", "北京市", 2019, "1-12", "actual", 42.0, ""),
    ("review2022", "降至2022年的", "30", "pm25", "北京市", 2022, "1-12", "actual", 30.0, ""),
    ("review2022", "2021年北京市分别为", "38", "pm25", "北京市", 2020, "1-12", "actual", 38.0, ""),
    ("review2022", "北京市分别为38、", "33", "pm25", "北京市", 2021, "1-12", "actual", 33.0, ""),
    ("review2022", "年均浓度分别为", "37", "pm25", "天津市", 2022, "1-12", "actual", 37.0, ""),
    ("review2022", "年均浓度分别为37、", "36.8", "pm25", "河北省", 2022, "1-12", "actual", 36.8, ""),
    ("review2022", "37、36.8、", "25", "pm25", "上海市", 2022, "1-12", "actual", 25.0, ""),
    ("review2022", "36.8、25、", "20", "pm25", "广东省", 2022, "1-12", "actual", 20.0, ""),
    ("review2022", "2024年全国PM2.5浓度控制在", "32.4", "pm25", "全国", 2024, "1-12", "target", 32.4, "<="),
    ("review2022", "城市PM2.5浓度控制在", "31.4", "pm25", "全国", 2025, "1-12", "target", 31.4, "<="),
    ("review2022", "优良天数比例达到", "87.5", "good_air_share", "全国", 2025, "1-12", "target", 87.5, ""),
    ("review2022", "北京市PM2.5浓度控制在", "35", "pm25", "北京市", 2025, "1-12", "target", 35.0, "<="),
    ("q3_2024", "PM2.5平均浓度为", "28", "pm25", "全国", 2024, "1-9", "actual", 28.0, ""),
    ("q3_2024", "优良天数比例为", "86.3", "good_air_share", "全国", 2024, "1-9", "actual", 86.3, ""),
    ("q3_2024", "北京市PM2.5平均浓度为", "29", "pm25", "北京市", 2024, "1-9", "actual", 29.0, ""),
    ("beijing2023", "全市PM2.5年均浓度为", "32.2", "pm25", "北京市", 2023, "1-12", "actual", 32.2, ""),
]

# A scraped page whose title and text carry markup, for the escaping tests (hostile=True).
HOSTILE_DOC = _made_up_doc(
    "fixture/<b>转载</b>.html", [
        "<i>转载</i>：上海市空气质量<script>alert('title')</script>",
        "<b>注意</b>：2024年上海市PM2.5平均浓度为27微克/立方米。<script>alert('x')</script> & <img src=x onerror=alert(1)>",
    ], title="<script>alert('t')</script>上海市空气质量", published="2024-12-30",
    report_year=2024, region="上海市", publisher="<b>某网站</b>", format="html")
HOSTILE_METRICS = [
    ("hostile", "平均浓度为", "27", "pm25", "上海市", 2024, "1-12", "actual", 27.0, ""),
]

INGEST_ERRORS = [
    ("uploads/2021年生态环境状况公报(扫描件).pdf", None, "ingest",
     "PDF has no text layer (scanned page images only); OCR is not part of the pipeline"),
    ("uploads/空文件.txt", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "ingest", "the file is empty"),
]


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): from after the previous 。；; to the next one, inclusive."""
    stops = "。;；!?！？"
    left = max(text.rfind(ch, 0, start) for ch in stops) + 1
    rights = [i for i in (text.find(ch, end) for ch in stops) if i != -1]
    return left, (min(rights) + 1 if rights else len(text))


def _catalog() -> list[dict]:
    lines = [line for line in CATALOG.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def build_fixture_warehouse(db_path: Path, *, hostile: bool = False) -> Path:
    """Write the fixture warehouse to db_path (replacing it) and return the path.

    hostile=True adds a document whose title and text hold HTML and script tags."""
    db_path = Path(db_path)
    db_path.unlink(missing_ok=True)
    con = duckdb.connect(str(db_path))
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    now = datetime(2025, 3, 1, 12, 0, 0)
    catalog = {row["indicator_id"]: row for row in _catalog()}
    con.executemany(
        "INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(r["indicator_id"], r["name_zh"], r["name_en"], r["unit"], r["category"], r["aliases"],
          {"true": True, "false": False}.get(r["higher_is_better"])) for r in catalog.values()])
    con.executemany("INSERT INTO regions VALUES (?, ?, ?, ?, ?)", REGIONS)

    docs = documents()
    metrics = list(METRICS)
    if hostile:
        docs["hostile"] = HOSTILE_DOC
        metrics += HOSTILE_METRICS
    doc_rows, para_rows, metric_rows = [], [], []
    para_index: dict[str, list[tuple[str, int, str]]] = {}  # doc key -> (paragraph_id, raw_start, text)
    doc_ids: dict[str, str] = {}
    for key, doc in docs.items():
        raw_text = doc.raw_text if doc.raw_text is not None else "\n\n".join(doc.paragraphs)
        data = doc.raw_bytes if doc.raw_bytes is not None else raw_text.encode("utf-8")
        sha = hashlib.sha256(data).hexdigest()
        doc_id = doc_ids[key] = sha[:16]
        cursor, entries = 0, []
        for seq, text in enumerate(doc.paragraphs):
            raw_start = raw_text.index(text, cursor)
            cursor = raw_start + len(text)
            pid = f"{doc_id}-{seq}"
            entries.append((pid, raw_start, text))
            heading = next((t for _, _, t in reversed(entries) if re.match(r"^[一二三四五六七八九十]+、", t)), None)
            para_rows.append((pid, doc_id, seq, 1 if doc.format == "pdf" else None, heading,
                              raw_start, cursor, text, text))
        para_index[key] = entries
        n_metrics = sum(1 for m in metrics if m[0] == key)
        doc_rows.append((doc_id, doc.file, doc.title, doc.publisher, doc.published, doc.report_year,
                         doc.region, doc.script, doc.format,
                         "utf-8" if doc.format in ("txt", "html") else None, sha, len(data),
                         len(raw_text), len(doc.paragraphs), n_metrics, now, raw_text))

    per_paragraph: dict[str, list[tuple]] = {}
    for key, lead, value_text, ind, region, year, months, kind, value, qualifier in metrics:
        # the first paragraph where the lead is followed by the value
        pid, raw_start, text = next(e for e in para_index[key]
                                    if lead in e[2] and value_text in e[2][e[2].index(lead):])
        start = text.index(value_text, text.index(lead) + len(lead))
        end = start + len(value_text)
        ev_start, ev_end = _sentence(text, start, end)
        row = catalog.get(ind)
        unit = row["unit"] if row else "万个"
        if kind == "change":
            unit = "%"
        name = row["name_zh"] if row else "行政村环境整治"
        per_paragraph.setdefault(pid, []).append(
            (doc_ids[key], pid, ind, name, lead[-12:], region, REGION_CODES.get(region), year, months,
             kind, value, None, unit, qualifier, value_text, start, end,
             raw_start + start, raw_start + end, ev_start, ev_end, 0.9 if ind else 0.5))
    for pid, rows in per_paragraph.items():
        for k, row in enumerate(sorted(rows, key=lambda r: r[15])):
            metric_rows.append((f"{pid}-{k}", *row))

    con.executemany("INSERT INTO documents VALUES (" + ", ".join(["?"] * 17) + ")", doc_rows)
    con.executemany("INSERT INTO paragraphs VALUES (" + ", ".join(["?"] * 9) + ")", para_rows)
    con.executemany("INSERT INTO metrics VALUES (" + ", ".join(["?"] * 23) + ", DEFAULT)", metric_rows)
    con.executemany("INSERT INTO ingest_errors VALUES (?, ?, ?, ?, ?)",
                    [(*e, now) for e in INGEST_ERRORS])
    con.executemany("INSERT INTO build_info VALUES (?, ?)",
                    [("built_at", now.isoformat()), ("fingerprint", "fixture"), ("seconds", "0.1")])
    from etl.warehouse import summarise  # conflicts and physical order, as a real build makes them
    summarise(con)
    try:  # the full-text index, once its builder exists (etl/warehouse/search/index.py)
        from etl.warehouse import build_search_index
    except ImportError:
        build_search_index = None
    if build_search_index is not None:
        build_search_index(con)
    con.close()
    return db_path


if __name__ == "__main__":  # python tests/dashboard_fixture.py data/fixture.duckdb
    import sys

    sys.path.insert(0, str(ROOT))  # for etl.search_index

    print(build_fixture_warehouse(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/epw_fixture.duckdb")))
