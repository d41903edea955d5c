"""Clean stage: ingested text -> display text + simplified twin + offset map.

What it does, in order (rules and patterns in data/catalog/cleaning.toml):
1. removes inline junk (paywall markers, zero-width marks) and pinyin glosses
   such as 態(tài), and mends OCR slips such as HI类 -> Ⅲ类;
2. normalises full-width digits, letters and signs one character for one
   (Unicode NFKC where it maps a character to a single character);
3. derives the simplified-script twin (OpenCC t2s) of the same length, used for
   matching, while the display text keeps the original script;
4. drops boilerplate and chrome lines and running headers, and joins sentences
   that a page number, a pasted source line or a document-site chunk counter split
   in two, and the lines of a hard-wrapped text (PDF) into its sentences;
5. removes blanks inside a word of the vocabulary (unit spellings, indicator aliases,
   cleaning.toml spaced_words): '个百 分点', '微克/ 立方米' (blanks only, never a digit).

Every character of the result remembers where it stood in the ingested text,
so a span found in the clean text can be cited in the raw text.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from etl import catalog
from etl.text import normalise
from etl.text.normalise import CJK, detect_script, normalise_width, to_simplified

__all__ = ["CleanText", "clean", "detect_script", "normalise_width", "to_simplified", "CJK"]



@dataclass
class CleanText:
    """Cleaned text, its simplified twin (same length) and a map back to raw offsets."""

    text: str
    simplified: str
    anchor_pos: list[int]     # positions in `text` where a linear run begins ...
    anchor_raw: list[int]     # ... and the raw offset each run begins at

    def to_raw(self, pos: int) -> int:
        k = bisect.bisect_right(self.anchor_pos, pos) - 1
        if k < 0:
            return 0
        raw = self.anchor_raw[k] + (pos - self.anchor_pos[k])
        # characters inserted by a longer replacement must not run past the next run
        if k + 1 < len(self.anchor_raw):
            raw = min(raw, self.anchor_raw[k + 1])
        return raw

    def edit(self, spans: list[tuple[int, int, str]]) -> "CleanText":
        """Replace sorted, non-overlapping [start, end) spans by new strings (both scripts)."""
        if not spans:
            return self
        parts_t, parts_s, pos_out, raw_out = [], [], [], []

        def anchor(at: int, raw: int) -> None:
            if pos_out and pos_out[-1] == at:
                raw_out[-1] = raw
            elif not pos_out or raw_out[-1] + (at - pos_out[-1]) != raw:
                pos_out.append(at)
                raw_out.append(raw)

        out_len = 0

        def copy(a: int, b: int) -> None:
            nonlocal out_len
            if a >= b:
                return
            anchor(out_len, self.to_raw(a))
            k = bisect.bisect_right(self.anchor_pos, a)
            while k < len(self.anchor_pos) and self.anchor_pos[k] < b:
                anchor(out_len + self.anchor_pos[k] - a, self.anchor_raw[k])
                k += 1
            parts_t.append(self.text[a:b])
            parts_s.append(self.simplified[a:b])
            out_len += b - a

        pos = 0
        for start, end, new in spans:
            copy(pos, start)
            if new:
                anchor(out_len, self.to_raw(start))
                parts_t.append(new)
                parts_s.append(to_simplified(new))
                out_len += len(new)
            pos = end
        copy(pos, len(self.text))
        anchor(out_len, self.to_raw(len(self.text)))
        return CleanText("".join(parts_t), "".join(parts_s), pos_out, raw_out)

    def sub(self, pattern: re.Pattern, repl: str = "", on_simplified: bool = True) -> "CleanText":
        source = self.simplified if on_simplified else self.text
        return self.edit([(m.start(), m.end(), m.expand(repl) if repl else "") for m in pattern.finditer(source)])


# --- rules from data/catalog/cleaning.toml ------------------------------------------

@functools.cache
def _rules():
    r = catalog.cleaning_rules()
    return {
        "pinyin": re.compile(r["pinyin_gloss"]),
        "pinyin_passes": int(r["pinyin_gloss_passes"]),
        "lost_char": re.compile(r["lost_char_gloss"]),
        "lost_char_before": _lost_char_table(r["lost_char_words"]),
        "lost_char_by_gloss": [(re.compile(before), gloss, char) for before, gloss, char in r["lost_char_by_gloss"]],
        "inline": re.compile("|".join(f"(?:{p})" for p in r["inline_junk"])),
        "replacements": [(re.compile(p), rep) for p, rep in r["replacements"]],
        "boilerplate": re.compile("|".join(f"(?:{p})" for p in r["boilerplate_lines"])),
        "boilerplate_max": int(r["boilerplate_max_chars"]),
        "related_heading": re.compile(r["related_list_heading"]),
        "keep": re.compile(r["keep_lines"]),
        "kept_period": re.compile(r["spam_line_report_period"]),
        "prose_figure": re.compile(r["boilerplate_prose_figure"]),
        "prose_stops": int(r["boilerplate_prose_min_stops"]),
        "latin_max": int(r["latin_line_max_chars"]),
        "page_number": re.compile(r["page_number_line"]),
        "chunk_counter": re.compile(r["chunk_counter"]),
        "sentence_end": re.compile(r["sentence_end"]),
        "column_row": re.compile(r["column_row"]),
        "cell_max": int(r["table_cell_max_chars"]),
        "cell_run_min": int(r["table_cell_run_min_lines"]),
        "cell_punct": re.compile(r["table_cell_punctuation"]),
        "continuation": re.compile(r["continuation_start"]),
        "label_value": re.compile(r["label_value_start"]),
        "block_start": re.compile(r["block_start"]),
        "interrupting": re.compile(r["interrupting_line"]),
        "dangling": re.compile(r["dangling_end"]),
        "name_end": re.compile(r["wrap_name_end"]),
        "running_not": re.compile(r["running_line_not"]),
        "wrap": {k: r[k] for k in ("wrap_min_lines", "wrap_line_min_chars", "wrap_open_share", "wrap_width_share")},
        "running": {k: r[k] for k in ("running_line_min_count", "running_line_min_chars", "running_line_max_chars")},
        "spaced": _spaced_vocabulary(r["spaced_words"]),
        "spaced_window": int(r["spaced_word_window"]),
    }


def clean(raw: str) -> CleanText:
    """The clean stage: a pure function of the ingested text."""
    rules = _rules()
    ct = CleanText(raw, raw, [0], [0])
    ct = ct.sub(rules["inline"], on_simplified=False)
    ct = ct.edit(_lost_char_edits(ct.text, rules))
    ct = _mend(ct, rules)
    display = normalise_width(ct.text)
    ct = CleanText(display, to_simplified(display), ct.anchor_pos, ct.anchor_raw)
    ct = ct.edit(_line_edits(ct, rules))
    ct = ct.edit(_spaced_word_edits(ct.simplified, rules))
    # joining a sentence split by a page number can bring a gloss to its character ('環境' +
    # '(shēng)') or an OCR slip together ('1O' + '年'): mend again
    return _mend(ct, rules)


def _mend(ct: CleanText, rules: dict) -> CleanText:
    """Pinyin glosses out (doubled ones too: '微(wei)(wei)克'), then the replacements."""
    for _ in range(rules["pinyin_passes"]):
        before = len(ct.text)
        ct = ct.sub(rules["pinyin"], on_simplified=False)
        if len(ct.text) == before:
            break
    for pattern, rep in rules["replacements"]:
        ct = ct.sub(pattern, rep, on_simplified=False)
    return ct


def _spaced_vocabulary(words: list[str]) -> tuple[frozenset[str], frozenset[str], int]:
    """Words whose inner blanks are removed (spaced_words, the catalog's aliases and unit
    spellings, simplified and width-normalised), the pairs of neighbouring characters inside
    them (a quick test for a blank), and the longest word's length."""
    vocabulary = {*words, *(a for ind in catalog.indicators() for a in ind.aliases),
                  *(s for u in catalog.units() for s in u.spellings)}
    vocabulary = {to_simplified(normalise_width(w)) for w in vocabulary}
    vocabulary = {w for w in vocabulary if len(w) >= 2 and not BLANK.search(w)}
    pairs = {w[i:i + 2] for w in vocabulary for i in range(len(w) - 1)}
    return frozenset(vocabulary), frozenset(pairs), max(map(len, vocabulary))


# blanks inside a line: spaces, tabs, no-break, thin and ideographic spaces
BLANK = re.compile(r"[ \t\u00a0\u2002-\u200a\u202f\u205f\u3000]+")


def _spaced_word_edits(text: str, rules: dict) -> list[tuple[int, int, str]]:
    """Blanks inside a word of the vocabulary ('个百 分点', '微克/ 立方米'): removed."""
    vocabulary, pairs, longest = rules["spaced"]
    window = min(rules["spaced_window"], longest)
    edits = []
    for m in BLANK.finditer(text):
        a, b = m.start(), m.end()
        if a == 0 or b >= len(text) or text[a - 1] + text[b] not in pairs:
            continue
        # the characters on each side, blanks left out, up to the line's end
        left = "".join(BLANK.split(text[max(0, a - 2 * window):a].rsplit("\n", 1)[-1]))[-window:]
        right = "".join(BLANK.split(text[b:b + 2 * window].split("\n", 1)[0]))[:window]
        joined, k = left + right, len(left)
        if any(joined[i:j] in vocabulary for i in range(max(0, k - longest + 1), k)
               for j in range(k + 1, min(len(joined), i + longest) + 1)):
            edits.append((a, b, ""))
    return edits


def _lost_char_table(words: list[str]) -> dict[str, str]:
    """For each character, the one character that comes before it in the vocabulary
    (lost_char_words and the catalog's aliases), when only one does: 良 -> 优 (优良)."""
    before: dict[str, set[str]] = {}
    vocabulary = [*words, *(a for ind in catalog.indicators() for a in ind.aliases)]
    for w in vocabulary:
        w = to_simplified(w)
        for a, b in zip(w, w[1:]):
            if CJK.match(a) and CJK.match(b):
                before.setdefault(b, set()).add(a)
    return {b: next(iter(a)) for b, a in before.items() if len(a) == 1}


def _lost_char_edits(text: str, rules: dict) -> list[tuple[int, int, str]]:
    """'量?jì)?yōu)良' -> '量优良': conversion debris out, a lost character back where the
    next character tells it."""
    edits = []
    for m in rules["lost_char"].finditer(text):
        following = to_simplified(text[m.end():m.end() + 1])
        lost = rules["lost_char_before"].get(following, "")
        if not lost:  # 'Ⅲ?lèi)、': the character before and the gloss tell it
            lost = next((char for before, gloss, char in rules["lost_char_by_gloss"]
                         if m["gloss"] == gloss and before.fullmatch(text[m.start() - 1:m.start()])), "")
        edits.append((m.start(), m.end(), lost))
    return edits


def _line_edits(ct: CleanText, rules: dict) -> list[tuple[int, int, str]]:
    """Spans to delete or replace: chrome lines, running headers, page numbers and chunk
    counters that split sentences, and the breaks of a hard-wrapped text."""
    edits: list[tuple[int, int, str]] = []
    lines = []  # (start, end) of each line, without its newline
    start = 0
    for m in re.finditer("\n", ct.simplified):
        lines.append((start, m.start()))
        start = m.end()
    lines.append((start, len(ct.simplified)))
    running = _running_lines(ct, lines, rules)
    seen_running: set[str] = set()
    seen_lines: set[str] = set()
    after_page_number = False
    width = _wrap_width(ct, lines, rules)

    in_table = _table_cell_lines(ct, lines, rules)
    last_kept_start = last_kept_end = None  # the last kept non-empty line
    last_kept_open = False  # that line stops mid-sentence
    last_kept_len = 0
    dropped_since = False  # a chrome line or page number was dropped after it
    blank_since = False  # a blank line stands after it: a paragraph ended there
    related = False  # under a list of links to other articles ('相关阅读：')
    for k, (start, end) in enumerate(lines):
        line = ct.simplified[start:end]
        stripped = line.strip()
        if not stripped:
            blank_since = True
            continue
        if k in in_table:  # a table's cell: kept as it is, and no sentence runs across it
            last_kept_start, last_kept_end, last_kept_open = start, end, False
            dropped_since = blank_since = False
            continue
        is_page_number = bool(rules["page_number"].match(stripped))
        # the previous kept line stops where no line can end: what comes next continues it
        dangling = last_kept_open and bool(rules["dangling"].search(ct.simplified[last_kept_start:last_kept_end]))
        is_chrome = (dangling and len(stripped) <= rules["latin_max"] and bool(rules["interrupting"].match(stripped))) or (
            not rules["keep"].search(stripped) and (
            (len(stripped) <= rules["boilerplate_max"] and rules["boilerplate"].search(stripped)
             and not _report_prose(stripped, rules))
            or (len(stripped) <= rules["latin_max"] and not CJK.search(stripped) and "|" not in stripped
                and not (last_kept_open and (width or dangling or rules["continuation"].match(stripped))))
            or stripped in seen_running
            # a page's header repeating an earlier line right after the page number ('— 3 —' ⏎ title)
            or (after_page_number and stripped in seen_lines)))
        # (the headlines listed under '相关阅读：', up to the first sentence)
        related = bool(rules["related_heading"].match(stripped)) or (related and "。" not in stripped)
        is_chrome = is_chrome or related
        if stripped in running:
            seen_running.add(stripped)  # the first one is the title: it stays
        after_page_number = is_page_number
        if len(stripped) >= rules["running"]["running_line_min_chars"]:
            seen_lines.add(stripped)
        if is_page_number or is_chrome:
            # delete the line and its newline; a sentence split around it is joined below (the report
            # period of a spam line above the text stays, a line of its own: spam_line_report_period)
            kept = rules["kept_period"].search(stripped) if is_chrome and last_kept_start is None else None
            edits.append((start, min(end + 1, len(ct.simplified)), kept.group(0) + "\n" if kept else ""))
            dropped_since = dropped_since or is_page_number or last_kept_open
            continue
        counter = rules["chunk_counter"].match(line)
        lead = len(line) - len(line.lstrip())
        if last_kept_end is not None and last_kept_open:
            prev_text = ct.simplified[last_kept_start:last_kept_end].rstrip()
            if counter or (not rules["block_start"].match(stripped) and _was_split_by_page(ct, last_kept_end, start, rules)):
                # join: delete from the end of the previous kept line up to this line's text
                edits.append((last_kept_end, start + (counter.end() if counter else lead), ""))
            elif _continues(prev_text, stripped, last_kept_len, None if blank_since else width, dropped_since, rules):
                glue = " " if re.search(r"[A-Za-z]$", prev_text) and re.match(r"[A-Za-z]", stripped) else ""
                edits.append((last_kept_start + len(prev_text), start + lead, glue))
        last_kept_start, last_kept_end = start, end
        last_kept_open = not rules["sentence_end"].search(line) and not rules["column_row"].search(stripped)
        last_kept_len = len(stripped)
        dropped_since = blank_since = False
    return _merge(edits)


def _table_cell_lines(ct: CleanText, lines: list[tuple[int, int]], rules: dict) -> set[int]:
    """Lines of a table flattened one cell per line ('广州' / '39' / '87.1%' / '-'): a run of
    short lines, some with Chinese text and several bare numbers. Their numbers are cells,
    not page numbers or chrome, and no sentence runs across them."""
    out: set[int] = set()
    run: list[int] = []

    def close():
        texts = [ct.simplified[lines[i][0]:lines[i][1]].strip() for i in run]
        numbers = sum(1 for t in texts if not CJK.search(t) and any(c.isdigit() for c in t))
        if len(run) >= rules["cell_run_min"] and numbers >= 3 and any(CJK.search(t) for t in texts):
            out.update(run)
        run.clear()

    for k, (start, end) in enumerate(lines):
        stripped = ct.simplified[start:end].strip()
        if not stripped:
            continue  # blank lines between cells do not end the run
        if len(stripped) <= rules["cell_max"] and not rules["cell_punct"].search(stripped):
            run.append(k)
        else:
            close()
    close()
    return out


# a line of prose has a comma, a semicolon or a full stop inside it
PROSE = re.compile(r"[，,；;。][^\n]")


def _report_prose(line: str, rules: dict) -> bool:
    """A line of a report's prose (a measured figure and several full stops), which a chrome word
    inside it does not make chrome ('…比例为72.6%;…登录网站扫描二维码就可免费下载。')."""
    return line.count("。") >= rules["prose_stops"] and bool(rules["prose_figure"].search(line))


def _continues(prev: str, line: str, prev_len: int, width: int | None, dropped: bool, rules: dict) -> bool:
    """The line goes on with the sentence the previous (open) line stopped in."""
    if rules["continuation"].match(line):
        return True  # ',同比…', '.5%', ')' never start a line of their own
    if rules["block_start"].match(line) or "|" in prev or "|" in line or prev.endswith(">") or line.startswith("<"):
        return False  # a heading, a list item or a table row starts a block of its own
    if rules["label_value"].match(line) and re.search(r"[\u4e00-\u9fff]$", prev) and not re.search(r"\d", prev):
        return True  # '…水质优良比例' ⏎ '97.7%,…': the name, then its figure
    if rules["dangling"].search(prev) and (re.match(r"\d", line) or re.search(r"[,，、]\s*$", prev)):
        return True  # '…比例为' ⏎ '86.5%', '…细颗粒物、' ⏎ '可吸入颗粒物…': no line ends there
    if (width is not None and prev_len >= width * rules["wrap"]["wrap_width_share"] and PROSE.search(prev)
            and (not re.search(r"[\d%]$", prev) or rules["name_end"].search(prev))):
        return True  # a hard-wrapped text: the line ran to the margin
    # a spam or chrome line dropped in the middle of a sentence: '…比例为' ⏎ 扫一扫 ⏎ '85.7%'
    return dropped and bool(rules["dangling"].search(prev))


def _wrap_width(ct: CleanText, lines: list[tuple[int, int]], rules: dict) -> int | None:
    """The usual width of a hard-wrapped text's lines, or None when the text is not wrapped."""
    w = rules["wrap"]
    texts = [ct.simplified[s:e].strip() for s, e in lines]
    # lines with another line right after them (a line before a blank one ends a paragraph)
    # (and that read as prose: a run of headlines or of metadata lines is no wrapped text)
    long = [x for x, nxt in zip(texts, texts[1:])
            if nxt and len(x) >= w["wrap_line_min_chars"] and "|" not in x and PROSE.search(x)]
    open_ = sorted(len(x) for x in long if not rules["sentence_end"].search(x))
    if len(open_) < w["wrap_min_lines"] or len(open_) < w["wrap_open_share"] * len(long):
        return None
    width = open_[len(open_) // 2]
    at_margin = [n for n in open_ if n >= width * w["wrap_width_share"]]
    return width if len(at_margin) >= w["wrap_min_lines"] else None


def _running_lines(ct: CleanText, lines: list[tuple[int, int]], rules: dict) -> set[str]:
    """Short lines repeated again and again: a running header or footer."""
    r = rules["running"]
    counts: dict[str, int] = {}
    for s, e in lines:
        x = ct.simplified[s:e].strip()
        if r["running_line_min_chars"] <= len(x) <= r["running_line_max_chars"]:
            counts[x] = counts.get(x, 0) + 1
    return {x for x, n in counts.items() if n >= r["running_line_min_count"]
            and len(CJK.findall(x)) >= 4 and not rules["running_not"].search(x)
            and not rules["block_start"].match(x)}


def _was_split_by_page(ct: CleanText, prev_end: int, start: int, rules: dict) -> bool:
    """A page-number line stands between the previous kept line and this one."""
    between = ct.simplified[prev_end:start].split("\n")
    return any(rules["page_number"].match(b.strip()) for b in between if b.strip())


def _merge(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Edits may overlap (a page-number line inside a join): merge them. A merged edit
    keeps the replacement of the first ('86' ⏎ '- 3 -' ⏎ '.5%' is one join)."""
    edits.sort()
    out: list[tuple[int, int, str]] = []
    for s, e, r in edits:
        if out and (s < out[-1][1] or (s == out[-1][1] and not r and not out[-1][2])):
            out[-1] = (out[-1][0], max(out[-1][1], e), out[-1][2] or r)
        else:
            out.append((s, e, r))
    return out


def warm_up() -> None:
    """Load the cleaning rules and OpenCC's dictionaries now (the build does it before forking)."""
    _rules()
    normalise.warm_up()
