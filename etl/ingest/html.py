"""HTML: the main text of a page without its chrome, table rows as 'cell | cell', the publication date."""
from __future__ import annotations

import datetime as _dt
import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import CData

from etl.model import IngestError

_JUNK_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "object", "embed",
              "canvas", "select", "button", "input", "textarea", "map", "audio", "video",
              "head", "title", "meta", "link"]
# Page structure that is chrome unless it holds most of the page (see _drop_chrome).
_CHROME_TAGS = ["nav", "aside", "footer", "form", "header"]
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
# id/class words (split on _, -, camelCase) that name chrome. Pinyin ones are
# what Chinese government CMSes use: 导航, 当前位置, 分享, 评论, 版权, 底部.
_CHROME_WORDS = {
    "nav", "navbar", "navigation", "subnav", "topnav", "menu", "menus", "submenu", "footer",
    "foot", "sidebar", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "share", "sharing",
    "bdshare", "social", "comment", "comments", "copyright", "advert", "advertisement", "ads",
    "banner", "toolbar", "pager", "pagination", "login", "gotop", "backtop", "related",
    "recommend", "skip", "daohang", "dqwz", "weizhi", "fenxiang", "pinglun", "banquan", "dibu",
    "tools", "xgxx", "xgwz", "xglj",   # 打印/关闭 tools; 相关信息/文章/链接
}
# Page header words: only chrome when no content container was found, since
# "article-header" inside the content is the title block.
_HEADER_WORDS = {"header", "topbar", "masthead", "top"}
# id/class words of the element that holds the article (TRS_Editor, zoom and
# pages_content are common in Chinese government sites).
_CONTENT_WORDS = {"content", "contents", "article", "detail", "details", "zoom", "trs",
                  "neirong", "zhengwen", "wenzhang", "post", "entry", "story", "text", "txt",
                  "main", "body"}
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main",
    "menu", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}
_WHITESPACE_RE = re.compile(r"[ \t\n\r\f]+")
# Meta names/properties of the publication date, normalised to lowercase
# letters, best first. PubDate / firstpublishedtime are the Chinese CMS ones.
_DATE_META = ["articlepublishedtime", "pubdate", "publishdate", "publishtime", "publishedtime",
              "firstpublishedtime", "publicationdate", "datepublished", "dctermsissued",
              "dcdateissued", "dcdate", "dctermsdate", "dctermscreated", "date"]
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})|(?<!\d)(\d{4})(\d{2})(\d{2})")


def read_html(markup: str) -> dict:
    """Main text, title and publication date of an HTML page."""
    soup = BeautifulSoup(markup, "lxml")
    title = _clean_inline(soup.title.get_text()) if soup.title else ""
    published = _html_published(soup)

    body = soup.body or soup
    for tag in body.find_all(_JUNK_TAGS):
        tag.decompose()
    for node in body.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()

    lengths = _TextLengths()
    _drop_chrome(body, lengths, words=_CHROME_WORDS)
    root = _main_container(body, lengths)
    if root is body:
        _drop_chrome(body, lengths, words=_HEADER_WORDS, semantic=False)
    if not title:
        h1 = root.find("h1") or body.find("h1")
        title = _clean_inline(h1.get_text()) if h1 else ""

    text = "\n".join(_render_lines(root))
    if not text.strip():
        raise IngestError("the HTML page has no text (content loaded by JavaScript?)")
    return {"text": text, "title": title or None, "published": published}


class _TextLengths:
    """Non-whitespace text length of elements, memoised (the tree only shrinks
    between uses, and only outside the elements measured again)."""

    def __init__(self) -> None:
        self._cache: dict[int, int] = {}

    def __call__(self, el: Tag) -> int:
        key = id(el)
        if key not in self._cache:
            self._cache[key] = len(_WHITESPACE_RE.sub("", el.get_text()).replace("\u3000", ""))
        return self._cache[key]

    def forget(self) -> None:
        self._cache.clear()


def _attr_words(el: Tag) -> set[str]:
    values = [el.get("id") or ""]
    classes = el.get("class") or []
    values.extend(classes if isinstance(classes, list) else [classes])
    return {w.lower() for v in values for w in _WORD_RE.findall(str(v))}


def _is_contentish(el: Tag) -> bool:
    if el.name in ("article", "main") or el.get("role") == "main":
        return True
    names = " ".join(el.get("class") or []) + " " + (el.get("id") or "")
    return bool(_attr_words(el) & _CONTENT_WORDS) or "trs_editor" in names.lower()


def _inside_content(el: Tag) -> bool:
    return any(_is_contentish(p) for p in el.parents if isinstance(p, Tag))


def _drop_chrome(body: Tag, lengths: _TextLengths, words: set[str], semantic: bool = True) -> None:
    """Remove navigation, footers, share bars... but never most of the page.

    An element that holds more than half the page's text is not chrome
    whatever it is called (ASP.NET sites wrap the whole page in a <form>),
    and <article>/<main> and their ancestors are always kept.
    """
    total = lengths(body)
    protected = set()
    for kept in body.find_all(["article", "main"]):
        protected.add(id(kept))
        protected.update(id(parent) for parent in kept.parents)
    doomed = []
    for el in body.find_all(True):
        if id(el) in protected:
            continue
        chrome = bool(_attr_words(el) & words)
        if semantic:
            chrome = (chrome
                      or (el.name in _CHROME_TAGS and not (el.name == "header" and _inside_content(el)))
                      or el.get("role") in _CHROME_ROLES
                      or el.has_attr("hidden")
                      or bool(_HIDDEN_STYLE_RE.search(el.get("style") or "")))
        if chrome and lengths(el) <= 0.5 * total:
            doomed.append(el)
    for el in doomed:
        if not el.decomposed:
            el.decompose()
    lengths.forget()


def _main_container(body: Tag, lengths: _TextLengths) -> Tag:
    """The element holding the article, or body when none stands out.

    The innermost content-like element with at least half the page's text is
    the article body; it is widened to ancestors that add little text (the
    title, date and source lines that sit just above a TRS_Editor div).
    """
    total = lengths(body)
    if total == 0:
        return body
    holding = [el for el in body.find_all(True)
               if _is_contentish(el) and lengths(el) >= 0.5 * total]
    if not holding:
        return body
    best = min(holding, key=lengths)   # they nest, so the smallest is innermost
    limit = lengths(best) * 1.25 + 100
    root = best
    for parent in best.parents:
        if parent is body or not isinstance(parent, Tag) or lengths(parent) > limit:
            break
        root = parent
    return root


class _LineBuilder:
    """Collects inline text into lines, collapsing HTML whitespace."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._parts: list[str] = []

    def add(self, text: str) -> None:
        self._parts.append(text)

    def add_line(self, line: str) -> None:
        self.end_line()
        self.lines.append(line)

    def end_line(self) -> None:
        if self._parts:
            line = re.sub(r" {2,}", " ", "".join(self._parts)).strip(" ")
            self._parts = []
            if line.strip():    # drop lines of only &nbsp; / full-width spaces
                self.lines.append(line)


def _render_lines(root: Tag) -> list[str]:
    """The text of root as lines: blocks and <br> break lines, table rows
    become 'cell | cell'. Iterative, so deeply nested pages are fine."""
    out = _LineBuilder()
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            out.end_line()
            continue
        if isinstance(node, NavigableString):
            if type(node) in (NavigableString, CData):
                if any(p.name == "pre" for p in node.parents if isinstance(p, Tag)):
                    for i, piece in enumerate(str(node).split("\n")):
                        if i:
                            out.end_line()
                        out.add(piece.replace("\r", ""))
                else:
                    out.add(_WHITESPACE_RE.sub(" ", str(node)))
            continue
        if not isinstance(node, Tag):
            continue
        if node.name == "br":
            out.end_line()
            continue
        if node.name == "tr":
            row = _render_row(node)
            if row is not None:
                if row:
                    out.add_line(row)
                continue
        block = node.name in _BLOCK_TAGS
        if block:
            out.end_line()
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    out.end_line()
    return out.lines


def _render_row(tr: Tag) -> str | None:
    """A data row as 'a | b | c' ('' when empty), or None for a layout row
    (one cell, or cells holding tables or long text) to render as blocks."""
    # Plain loops: bs4's find_all is slow when called once per row.
    cells = [c for c in tr.children if isinstance(c, Tag) and c.name in ("td", "th")]
    if len(cells) < 2 or any(isinstance(d, Tag) and d.name == "table"
                             for cell in cells for d in cell.descendants):
        return None
    texts = [" ".join(_render_lines(cell)) for cell in cells]
    if any(len(t) > 300 for t in texts):
        return None
    return " | ".join(texts) if any(texts) else ""


def _clean_inline(text: str) -> str:
    return " ".join(text.split())


def _html_published(soup: BeautifulSoup) -> str | None:
    found: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        content = meta.get("content")
        if not content:
            continue
        for attr in ("name", "property", "itemprop", "http-equiv"):
            key = re.sub(r"[^a-z]", "", str(meta.get(attr) or "").lower())
            if key and key not in found:
                found[key] = str(content)
    for key in _DATE_META:
        if key in found and (date := parse_date(found[key])):
            return date
    return None


def parse_date(value: str) -> str | None:
    """'2024-01-24 10:00', '2024年1月24日', 'D:20240124…' -> '2024-01-24'."""
    match = _DATE_RE.search(value)
    if not match:
        return None
    y, m, d = (g for g in match.groups() if g is not None)
    try:
        return _dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None
