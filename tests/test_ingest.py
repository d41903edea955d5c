"""Tests of the ingest stage: every input is a real file built in tmp_path."""
from __future__ import annotations

import functools
import glob
import hashlib
import io
import random
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.ingest import decode_text, detect_format, read_document
from etl.model import IngestError, RawDocument

SIMPLIFIED = "2024年全国PM2.5平均浓度为29.3微克/立方米，同比下降2.7%。优良天数比例为87.2%。"
TRADITIONAL = "2024年全國PM2.5平均濃度為29.3微克/立方米，同比下降2.7%。優良天數比例為87.2%。"
REPORT = (SIMPLIFIED + "\n"
          "全国地表水Ⅰ—Ⅲ类水质断面比例为90.4%，同比上升1.0个百分点。\n"
          "重点流域水质持续改善，长江干流连续5年全线保持Ⅱ类水质。\n")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def ingest_error(path: Path) -> str:
    with pytest.raises(IngestError) as info:
        read_document(path)
    return str(info.value)


# ---------------------------------------------------------------------------
# plain text and encodings
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, data, encoding", [
    (REPORT, REPORT.encode("utf-8"), "utf-8"),
    (REPORT, b"\xef\xbb\xbf" + REPORT.encode("utf-8"), "utf-8-sig"),
    (REPORT, REPORT.encode("gb18030"), "gb18030"),
    (REPORT, REPORT.encode("gbk"), "gb18030"),
    (SIMPLIFIED, SIMPLIFIED.encode("gb2312"), "gb18030"),
    (TRADITIONAL, TRADITIONAL.encode("big5"), "big5"),
    # traditional characters in a GBK file must not be mistaken for Big5
    (TRADITIONAL, TRADITIONAL.encode("gbk"), "gb18030"),
    (REPORT, b"\xff\xfe" + REPORT.encode("utf-16-le"), "utf-16"),
    (REPORT, b"\xfe\xff" + REPORT.encode("utf-16-be"), "utf-16"),
    (REPORT, REPORT.encode("utf-16-le"), "utf-16"),
    (REPORT, REPORT.encode("utf-16-be"), "utf-16"),
], ids=["utf-8", "utf-8-bom", "gb18030", "gbk", "gb2312", "big5", "gbk-traditional",
        "utf-16le-bom", "utf-16be-bom", "utf-16le", "utf-16be"])
def test_text_encodings_are_detected(tmp_path, text, data, encoding):
    doc = read_document(write(tmp_path, "report.txt", data))
    assert doc.format == "txt"
    assert doc.encoding == encoding
    assert doc.text == text
    assert doc.warnings == []
    assert doc.page_starts == []


def test_big5_document_with_traditional_report(tmp_path):
    text = ("臺灣地區空氣品質監測結果顯示，細懸浮微粒年平均濃度為13.9微克/立方公尺。\n"
            "環境保護署持續推動空氣污染防制計畫，改善國民健康與生活環境。\n")
    doc = read_document(write(tmp_path, "big5.txt", text.encode("big5")))
    assert (doc.encoding, doc.text) == ("big5", text)


def test_declared_charset_breaks_a_genuine_tie():
    # These GBK bytes are also valid common Big5 characters ('遠噫悵誘鼠惆').
    data = "环境保护公报".encode("gbk")
    assert decode_text(data) == ("环境保护公报", "gb18030", ())
    assert decode_text(data, declared="big5").encoding == "big5"
    # ...but a declaration never overrides bytes that only read one way.
    assert decode_text(SIMPLIFIED.encode("gbk"), declared="big5").encoding == "gb18030"


def test_line_endings_are_normalised(tmp_path):
    data = "第一行\r\n第二行\r第三行\n\n第五行".encode("gb18030")
    doc = read_document(write(tmp_path, "crlf.txt", data))
    assert doc.text == "第一行\n第二行\n第三行\n\n第五行"


def test_truncated_utf8_is_read_with_a_warning(tmp_path):
    data = REPORT.encode("utf-8").rstrip(b"\n")[:-2]   # cut inside the final '。'
    doc = read_document(write(tmp_path, "cut.txt", data))
    assert doc.encoding == "utf-8"
    assert doc.text == REPORT.rstrip("\n")[:-1]
    assert len(doc.warnings) == 1
    assert "ends mid-character" in doc.warnings[0]
    assert f"byte offset {len(data) - 1}" in doc.warnings[0]


def test_bad_bytes_inside_utf8_are_replaced_and_located(tmp_path):
    good = REPORT.encode("utf-8")
    cut = good.index("全国".encode()) + 3        # between 全 and 国
    data = good[:cut] + b"\xff\xfe" + good[cut:]
    doc = read_document(write(tmp_path, "damaged.txt", data))
    assert doc.encoding == "utf-8"
    assert doc.text == REPORT.replace("全国", "全\ufffd\ufffd国", 1)
    assert doc.warnings == [
        f"2 invalid UTF-8 byte sequences replaced with U+FFFD, at byte offsets {cut}, {cut + 1}"]


def test_bom_offsets_count_from_the_start_of_the_file(tmp_path):
    data = b"\xef\xbb\xbf" + "第一\xa0".encode()[:-1]   # cut inside the final character
    doc = read_document(write(tmp_path, "bom-cut.txt", data))
    assert doc.text == "第一"
    assert f"from byte offset {len(data) - 1}" in doc.warnings[0]


def test_truncated_utf16_without_bom_is_read_with_a_warning(tmp_path):
    data = REPORT.encode("utf-16-le")[:-1]
    doc = read_document(write(tmp_path, "cut16.txt", data))
    assert (doc.encoding, doc.text) == ("utf-16", REPORT[:-1])
    assert f"from byte offset {len(data) - 1}" in doc.warnings[0]


def test_utf32_is_refused_by_name(tmp_path):
    data = REPORT.encode("utf-32")   # with BOM
    message = ingest_error(write(tmp_path, "u32.txt", data))
    assert message == "unsupported text encoding: UTF-32 (save it as UTF-8)"


def test_empty_file(tmp_path):
    assert ingest_error(write(tmp_path, "empty.txt", b"")) == "empty file"


def test_whitespace_only_file(tmp_path):
    assert "only whitespace" in ingest_error(write(tmp_path, "blank.txt", b" \r\n\t\n"))


def test_random_bytes_are_not_text(tmp_path):
    data = random.Random(7).randbytes(4096)
    message = ingest_error(write(tmp_path, "random.txt", data))
    assert message.startswith("not a text document: ")
    assert message.endswith("% of bytes are control characters")


def test_high_bytes_without_controls_are_not_text(tmp_path):
    rng = random.Random(11)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(4096))
    message = ingest_error(write(tmp_path, "noise.txt", data))
    assert message.startswith("not a text document: it does not read as")


def test_unsupported_binary_says_what_it_looks_like(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + bytes(100)
    assert ingest_error(write(tmp_path, "scan.txt", png)) == "unsupported file type (looks like a PNG image)"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)
    assert "legacy Office file" in ingest_error(write(tmp_path, "old.doc", ole))


def test_unreadable_path(tmp_path):
    assert ingest_error(tmp_path / "missing.txt").startswith("cannot read the file: ")


def test_identity_fields_and_a_name_with_spaces_and_chinese(tmp_path):
    data = REPORT.encode("gb18030")
    path = write(tmp_path, "2024年 全国生态环境 状况公报 (终稿).txt", data)
    doc = read_document(str(path))
    assert isinstance(doc, RawDocument)
    assert doc.path == str(path)
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.size_bytes == len(data)
    assert doc.text == REPORT


def test_big_single_line_file_is_fast(tmp_path):
    line = (SIMPLIFIED * 2).encode("gb18030")
    data = line * (50_000_000 // len(line))       # ~50 MB, no newline at all
    path = write(tmp_path, "big.txt", data)
    started = time.perf_counter()
    doc = read_document(path)
    elapsed = time.perf_counter() - started
    assert doc.encoding == "gb18030"
    assert len(doc.text) == len(SIMPLIFIED) * 2 * (50_000_000 // len(line))
    assert doc.text.endswith(SIMPLIFIED)
    assert elapsed < 15, f"reading 50 MB took {elapsed:.1f}s"


# ---------------------------------------------------------------------------
# format detection
# ---------------------------------------------------------------------------

def test_format_comes_from_content_not_extension(tmp_path):
    assert detect_format(b"%PDF-1.7\n...", "report.txt") == "pdf"
    assert detect_format(b"<!DOCTYPE html><html><body><p>x</p></body></html>", "a.txt") == "html"
    assert detect_format("<p>第一段</p>\n<p>第二段</p>".encode(), "frag.txt") == "html"
    assert detect_format("<p>第一段</p>".encode(), "frag.htm") == "html"
    assert detect_format("PM2.5<35微克/立方米，a<b 且 c>d".encode(), "x.txt") == "txt"
    assert detect_format(REPORT.encode(), "report.pdf") == "txt"
    assert detect_format("附件格式：%PDF-1.7 文件".encode(), "note.txt") == "txt"
    doc = read_document(write(tmp_path, "page.txt", "<html><body><p>正文</p></body></html>".encode()))
    assert (doc.format, doc.text) == ("html", "正文")


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="PubDate" content="2025-01-14 10:30">
  <title>2024年全国生态环境质量简况_生态环境部</title>
  <style>.nav { color: red } body::before { content: "样式文字" }</style>
  <script>var secret = "脚本文字"; document.write("<p>写入</p>");</script>
</head>
<body>
  <header><div class="logo">生态环境部网站</div></header>
  <nav><ul><li><a href="/">首页</a></li><li><a href="/xxgk">信息公开</a></li></ul></nav>
  <div class="breadcrumb">当前位置：首页 &gt; 新闻</div>
  <div id="mainNav">导航菜单</div>
  <div class="content">
    <h1>2024年全国生态环境质量简况</h1>
    <div class="TRS_Editor">
      <p>　　2024年，全国PM2.5平均浓度为29.3微克/立方米，同比下降2.7%。</p>
      <p>优良天数比例为87.2%，<b>同比上升1.7个百分点</b>。<br>重污染天数比例为0.9%。</p>
      <p>页面用 &lt;script&gt; 标签与 &amp;nbsp; 实体，&nbsp;均按原文显示。</p>
      <table>
        <tr><th>指标</th><th>2024年</th></tr>
        <tr><td>PM2.5</td><td>29.3</td></tr>
        <tr><td>优良天数比例</td><td>87.2%</td></tr>
      </table>
      <noscript>请启用脚本</noscript>
    </div>
    <div class="share">分享到：微信 微博</div>
  </div>
  <aside>相关链接</aside>
  <form action="/search"><input name="q"><button>搜索</button> 站内搜索</form>
  <footer>版权所有：生态环境部 京ICP备05009132号</footer>
  <div class="copyright">主办单位</div>
</body>
</html>
"""

PAGE_TEXT = (
    "2024年全国生态环境质量简况\n"
    "　　2024年，全国PM2.5平均浓度为29.3微克/立方米，同比下降2.7%。\n"
    "优良天数比例为87.2%，同比上升1.7个百分点。\n"
    "重污染天数比例为0.9%。\n"
    "页面用 <script> 标签与 &nbsp; 实体，\xa0均按原文显示。\n"
    "指标 | 2024年\n"
    "PM2.5 | 29.3\n"
    "优良天数比例 | 87.2%"
)


def test_html_main_text_without_chrome(tmp_path):
    doc = read_document(write(tmp_path, "page.html", PAGE.encode("utf-8")))
    assert doc.format == "html"
    assert doc.encoding == "utf-8"
    assert doc.text == PAGE_TEXT
    assert doc.title == "2024年全国生态环境质量简况_生态环境部"
    assert doc.published == "2025-01-14"
    for chrome in ("脚本", "样式", "写入", "首页", "导航", "分享", "相关链接", "搜索",
                   "版权", "主办", "生态环境部网站", "请启用"):
        assert chrome not in doc.text


def test_gbk_html_with_meta_charset(tmp_path):
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            '<meta name="publishdate" content="2024年1月24日">'
            "</head><body><p>" + SIMPLIFIED + "</p><p>全国地表水水质持续向好。</p></body></html>")
    doc = read_document(write(tmp_path, "gbk.htm", page.encode("gbk")))
    assert doc.encoding == "gb18030"
    assert doc.text == SIMPLIFIED + "\n全国地表水水质持续向好。"
    assert doc.published == "2024-01-24"
    assert doc.title is None


def test_html_meta_charset_decides_a_tie(tmp_path):
    # These bytes read as common characters in both GBK and Big5: the page's
    # declaration decides.
    ambiguous = "环境保护公报".encode("gbk")
    page = b'<html><head><meta charset="big5"></head><body><p>' + ambiguous + b"</p></body></html>"
    doc = read_document(write(tmp_path, "big5.html", page))
    assert (doc.encoding, doc.text) == ("big5", "遠噫悵誘鼠惆")


def test_html_mislabelled_utf8_is_read_as_utf8(tmp_path):
    page = '<html><head><meta charset="gbk"></head><body><p>' + SIMPLIFIED + "</p></body></html>"
    doc = read_document(write(tmp_path, "wrong.html", page.encode("utf-8")))
    assert (doc.encoding, doc.text) == ("utf-8", SIMPLIFIED)


def test_html_without_a_content_container_keeps_body_text(tmp_path):
    page = ("<html><head><title> 通知 </title></head><body>"
            "<div class='top'>网站顶部</div>"
            "<h2>关于开展2024年环境监测的通知</h2><div>各有关单位：</div>"
            "<div>请于3月31日前报送监测数据。</div>"
            "<div class='footer'>联系我们</div></body></html>")
    doc = read_document(write(tmp_path, "notice.html", page.encode()))
    assert doc.text == "关于开展2024年环境监测的通知\n各有关单位：\n请于3月31日前报送监测数据。"
    assert doc.title == "通知"


def test_html_layout_table_keeps_its_paragraphs(tmp_path):
    paragraphs = ["一、空气质量。" + "全国空气质量持续改善。" * 3,
                  "二、水环境质量。" + "地表水水质总体良好。" * 3]
    page = ("<html><body><table><tr><td><p>" + "</p><p>".join(paragraphs) +
            "</p></td></tr></table></body></html>")
    doc = read_document(write(tmp_path, "layout.html", page.encode()))
    assert doc.text == "\n".join(paragraphs)


def test_html_title_falls_back_to_h1_and_form_wrapping_the_page_is_kept(tmp_path):
    # ASP.NET sites put the whole page inside one <form>.
    page = ("<html><body><form id='form1'><h1>水污染防治工作情况</h1>"
            "<p>全年完成120个入河排污口整治。</p><p>城市黑臭水体基本消除。</p>"
            "</form></body></html>")
    doc = read_document(write(tmp_path, "aspnet.html", page.encode()))
    assert doc.title == "水污染防治工作情况"
    assert doc.text == "水污染防治工作情况\n全年完成120个入河排污口整治。\n城市黑臭水体基本消除。"


def test_html_article_header_is_content_but_page_header_is_not(tmp_path):
    page = ("<html><body><header>部门网站</header><article><header><h1>标题</h1>"
            "<p class='meta'>发布时间：2024-03-01</p></header><p>正文内容。</p></article>"
            "<footer>页脚</footer></body></html>")
    doc = read_document(write(tmp_path, "article.html", page.encode()))
    assert doc.text == "标题\n发布时间：2024-03-01\n正文内容。"


def test_html_without_text_is_an_error(tmp_path):
    page = b"<html><head><script>render()</script></head><body><div id='app'></div></body></html>"
    assert "has no text" in ingest_error(write(tmp_path, "spa.html", page))


# ---------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------

def make_docx(title: str | None = "2024年工作总结") -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    if title:
        document.core_properties.title = title
    document.add_heading("一、大气环境", level=1)
    document.add_paragraph(SIMPLIFIED)
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["地区", "PM2.5", "优良天数比例"],
                             ["北京市", "30.5", "79.0%"],
                             ["合计", "", ""]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(2, 1).merge(table.cell(2, 2)).text = "见附表"
    document.add_paragraph("二、水环境\t第二段")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    doc = read_document(write(tmp_path, "总结 报告.docx", make_docx()))
    assert doc.format == "docx"
    assert doc.encoding is None
    assert doc.title == "2024年工作总结"
    assert doc.text == ("一、大气环境\n" + SIMPLIFIED + "\n"
                        "地区 | PM2.5 | 优良天数比例\n"
                        "北京市 | 30.5 | 79.0%\n"
                        "合计 | 见附表\n"
                        "二、水环境\t第二段")


def test_docx_text_in_tracked_insertions_and_content_controls(tmp_path):
    docx = pytest.importorskip("docx")
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    paragraph = document.add_paragraph("全年完成")
    inserted = OxmlElement("w:ins")
    inserted.set(qn("w:id"), "1")
    inserted.set(qn("w:author"), "审校")
    run = paragraph.add_run("造林任务")._r
    run.addprevious(inserted)
    inserted.append(run)
    paragraph.add_run("。")
    controlled = document.add_paragraph("控件中的段落")._p
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    controlled.addprevious(sdt)
    sdt.append(content)
    content.append(controlled)
    out = io.BytesIO()
    document.save(out)
    doc = read_document(write(tmp_path, "revisions.docx", out.getvalue()))
    assert doc.text == "全年完成造林任务。\n控件中的段落"


def test_docx_is_recognised_by_content_whatever_its_name(tmp_path):
    doc = read_document(write(tmp_path, "download.txt", make_docx(title=None)))
    assert doc.format == "docx"
    assert doc.title is None


def test_truncated_docx_is_corrupt(tmp_path):
    data = make_docx()
    message = ingest_error(write(tmp_path, "cut.docx", data[: len(data) // 2]))
    assert message.startswith("corrupt DOCX: ")


def test_docx_without_document_xml_is_corrupt(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/styles.xml", "<styles/>")
    message = ingest_error(write(tmp_path, "broken.docx", out.getvalue()))
    assert message == "corrupt DOCX: the package has no word/document.xml"


def test_docx_with_damaged_xml_is_corrupt(tmp_path):
    source = zipfile.ZipFile(io.BytesIO(make_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for item in source.infolist():
            data = source.read(item)
            package.writestr(item, data[:200] if item.filename == "word/document.xml" else data)
    assert ingest_error(write(tmp_path, "xml.docx", out.getvalue())).startswith("corrupt DOCX: ")


def test_other_zip_is_unsupported(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("data.csv", "a,b\n1,2\n")
    message = ingest_error(write(tmp_path, "data.zip", out.getvalue()))
    assert message == "unsupported file type (looks like a ZIP archive)"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
    message = ingest_error(write(tmp_path, "table.docx", out.getvalue()))
    assert message == "unsupported file type (looks like an Excel workbook (.xlsx))"


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------

@functools.cache
def cjk_font() -> tuple[str, int]:
    """A font file with Chinese glyphs that fpdf2 can embed, and its index in
    a .ttc collection. Debian's fonts-noto-cjk ships only .ttc files."""
    from fontTools.ttLib import TTCollection, TTFont

    paths = sorted(glob.glob("/usr/share/fonts/**/*CJK*", recursive=True)) + \
        sorted(glob.glob("/usr/share/fonts/**/*.tt[fc]", recursive=True))
    for path in paths:
        try:
            fonts = TTCollection(path).fonts if path.endswith(".ttc") else [TTFont(path)]
        except Exception:
            continue
        for index, font in enumerate(fonts):
            cmap = font.getBestCmap() or {}
            if all(ord(ch) in cmap for ch in "国年浓度优良"):
                return path, index
    pytest.skip("no font with Chinese glyphs under /usr/share/fonts (install fonts-noto-cjk)")


def make_pdf(pages: list[list[str]], *, title=None, created=None, user_password=None) -> bytes:
    fpdf = pytest.importorskip("fpdf")
    import pypdf
    from pypdf.generic import NameObject

    path, index = cjk_font()
    pdf = fpdf.FPDF()
    pdf.add_font("cjk", "", path, collection_font_number=index)
    pdf.set_font("cjk", size=11)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    if title:
        pdf.set_title(title)
    if created:
        pdf.set_creation_date(created)
    # fpdf2 writes a CFF font's encoding as an embedded CMap stream, which
    # pypdf reads as one-byte codes; the fonts really use Identity-H.
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(bytes(pdf.output()))))
    for page in writer.pages:
        for font in page.get("/Resources", {}).get("/Font", {}).values():
            font = font.get_object()
            if font.get("/Subtype") == "/Type0":
                font[NameObject("/Encoding")] = NameObject("/Identity-H")
    if user_password:
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF_PAGES = [["2024年全国PM2.5平均浓度为29.3微克/立方米，同比下降2.7%。"],
             ["优良天数比例为87.2%。", "重污染天数比例为0.9%。"]]


def test_pdf_text_layer_with_page_starts(tmp_path):
    data = make_pdf(PDF_PAGES, title="全国生态环境状况公报",
                    created=datetime(2024, 6, 5, 9, 0, tzinfo=timezone.utc))
    doc = read_document(write(tmp_path, "公报 2024.pdf", data))
    page1 = "2024年全国PM2.5平均浓度为29.3微克/立方米，同比下降2.7%。"
    page2 = "优良天数比例为87.2%。\n重污染天数比例为0.9%。"
    assert doc.format == "pdf"
    assert doc.encoding is None
    assert doc.text == page1 + "\n" + page2
    assert doc.page_starts == [0, len(page1) + 1]
    assert doc.text[doc.page_starts[1]:].startswith("优良天数")
    assert doc.title == "全国生态环境状况公报"
    assert doc.published == "2024-06-05"
    assert doc.warnings == []


def test_pdf_with_an_image_only_has_no_text_layer(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    from PIL import Image

    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.image(Image.new("RGB", (200, 100), (90, 90, 90)), x=10, y=10, w=100)
    pdf.rect(10, 120, 100, 40, style="F")
    message = ingest_error(write(tmp_path, "scan.pdf", bytes(pdf.output())))
    assert message == "PDF has no text layer (a scanned image?); OCR is not supported"


def test_pdf_with_a_blank_page_warns_and_keeps_offsets(tmp_path):
    data = make_pdf([["第一页。"], [], ["第三页。"]])
    doc = read_document(write(tmp_path, "gap.pdf", data))
    assert doc.text == "第一页。\n\n第三页。"
    assert doc.page_starts == [0, 5, 6]
    assert doc.warnings == ["page(s) 2 have no text layer (scanned?)"]


def test_corrupt_pdf(tmp_path):
    data = b"%PDF-1.7\n" + random.Random(3).randbytes(2000)
    assert ingest_error(write(tmp_path, "bad.pdf", data)).startswith("corrupt PDF: ")


def test_truncated_pdf_is_an_error(tmp_path):
    data = make_pdf(PDF_PAGES)
    message = ingest_error(write(tmp_path, "cut.pdf", data[: len(data) // 2]))
    assert message.startswith("corrupt PDF: the file is truncated (no %%EOF at its end): ")


def test_encrypted_pdf_needs_a_password(tmp_path):
    data = make_pdf(PDF_PAGES, user_password="secret")
    assert ingest_error(write(tmp_path, "locked.pdf", data)) == "encrypted PDF: it needs a password to open"


# ---------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------

# Text of any characters except controls (which make it binary) and \r
# (normalised away); not starting with U+FEFF, which would read as a BOM.
_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs"), whitelist_characters="\n\t"),
                min_size=1).filter(lambda t: not t.startswith("\ufeff"))


@given(_TEXT)
def test_utf8_and_utf16_round_trip(text):
    assert decode_text(text.encode("utf-8")) == (text, "utf-8", ())
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8-sig", ())
    assert decode_text(b"\xff\xfe" + text.encode("utf-16-le")) == (text, "utf-16", ())
    assert decode_text(b"\xfe\xff" + text.encode("utf-16-be")) == (text, "utf-16", ())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf",
                               b"\xff\xfe", "报告".encode("gbk")]),
       body=st.binary(max_size=600))
def test_any_bytes_give_a_document_or_an_ingest_error(tmp_path, prefix, body):
    path = write(tmp_path, "fuzz.bin", prefix + body)
    try:
        doc = read_document(path)
    except IngestError as exc:
        assert str(exc)
    else:
        assert doc.text.strip()
        assert "\r" not in doc.text
