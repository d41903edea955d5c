"""The synthetic corpus: documents recombined from the sentences of data/raw (shared with the tests)."""
from __future__ import annotations

import json
import math
import random
import re
import shutil
import time
from pathlib import Path

from benchmarks.common import GENERATOR_VERSION, SAMPLE_DIR

# ==== synthetic corpus ==========================================================================

YEAR_IN_TEXT = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?=\s*年)")
HEADING_PREFIX = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]{1,3}[章节部分篇])\s*")
CHINESE_ORDINALS = "一二三四五六七八九十"
TITLES = ["{r}{y}年生态环境状况公报", "{r}{y}年环境质量状况", "{r}生态环境局{y}年工作总结",
          "关于{r}{y}年度生态环境保护工作情况的报告", "{r}{y}年大气污染防治工作进展"]


def _ordinal(n: int) -> str:
    if n <= 10:
        return CHINESE_ORDINALS[n - 1]
    return ("" if n < 20 else CHINESE_ORDINALS[n // 10 - 1]) + "十" + (CHINESE_ORDINALS[n % 10 - 1] if n % 10 else "")


def _template(sentence: str, ref_year: int) -> list:
    """A sentence as literal pieces and slots: ('R',) region, ('Y', delta) year, ('N', text, pct) number."""
    from etl.text.numbers import ARABIC
    from etl.catalog.gazetteer import find_regions
    spans = []
    for r in find_regions(sentence):
        if r.level in ("province", "prefecture"):
            spans.append((r.start, r.end, ("R",)))
    for m in YEAR_IN_TEXT.finditer(sentence):
        spans.append((m.start(1), m.end(1), ("Y", int(m.group(1)) - ref_year)))
    for m in re.finditer(ARABIC, sentence):
        if re.search(r"[A-Za-z]\s*$", sentence[max(0, m.start() - 4):m.start()]):
            continue  # PM 2.5, SO 2: part of a name
        spans.append((m.start(), m.end(), ("N", m.group(0), sentence[m.end():m.end() + 1] in "%％")))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    parts, pos = [], 0
    for start, end, slot in spans:
        if start < pos:
            continue  # overlaps a slot already taken (a year is also a number)
        if start > pos:
            parts.append(sentence[pos:start])
        parts.append(slot)
        pos = end
    if pos < len(sentence):
        parts.append(sentence[pos:])
    return parts


def _pools() -> dict:
    """Sentence and heading templates from data/raw, region names from the gazetteer."""
    from collections import Counter

    from etl import catalog
    from etl.ingest import read_document
    heads, sents = [], []
    for path in sorted(SAMPLE_DIR.iterdir()):
        if path.name.startswith(".") or path.name == "sources.csv":   # the samples' origins, not a sample
            continue
        text = read_document(str(path)).text
        years = Counter(int(y) for y in YEAR_IN_TEXT.findall(text))
        ref = years.most_common(1)[0][0] if years else 2023
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            if len(line) <= 60 and HEADING_PREFIX.match(line):
                body = HEADING_PREFIX.sub("", line)
                if len(body) >= 4:
                    heads.append(_template(body, ref))
                continue
            for s in re.split(r"(?<=[。！？；])", line):
                if 6 <= len(s) <= 400:
                    sents.append(_template(s, ref))
    regions = [(r.name, [s for s in r.short_names if s != r.name]) for r in catalog.regions()
               if r.level in ("province", "prefecture")]
    return {"heads": heads, "sents": sents, "regions": regions}


def _fill(parts: list, rng: random.Random, region: str, year: int, regions: list) -> str:
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        elif p[0] == "R":
            if rng.random() < 0.5:
                out.append(region)
            else:
                name, shorts = regions[rng.randrange(len(regions))]
                out.append(rng.choice(shorts) if shorts and rng.random() < 0.3 else name)
        elif p[0] == "Y":
            out.append(str(min(2030, max(1995, year + p[1]))))
        else:
            text, pct = p[1], p[2]
            try:
                v = float(text.replace(",", ""))
            except ValueError:
                out.append(text)
                continue
            decimals = len(text.split(".", 1)[1]) if "." in text else 0
            v *= rng.uniform(0.6, 1.4)
            if pct:
                v = min(v, 99.9 if decimals else 99)
            if decimals == 0:
                v = max(1, round(v))
                out.append(f"{v:,}" if "," in text else str(v))
            else:
                out.append(f"{v:,.{decimals}f}" if "," in text else f"{v:.{decimals}f}")
    return "".join(out)


def make_document(i: int, seed: int, pools: dict) -> tuple[str, str]:
    """Document i of the corpus (the same whatever the corpus size): (text, encoding)."""
    rng = random.Random(f"{seed}:{i}")
    target = int(math.exp(rng.uniform(math.log(5_000), math.log(80_000))))   # bytes, log-uniform
    encoding = "gb18030" if rng.random() < 0.10 else "utf-8"
    one_line = rng.random() < 0.10
    name, shorts = pools["regions"][rng.randrange(len(pools["regions"]))]
    year = 2000 + min(25, int(26 * math.sqrt(rng.random())))
    title = rng.choice(TITLES).format(r=name, y=year)
    head = [title, f"发布时间：{year + 1}-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}",
            f"信息来源：{name}生态环境局"]
    body: list[str] = []
    size = sum(len(s.encode(encoding)) + 1 for s in head)
    top = sub = 0
    while size < target:
        r = rng.random()
        if r < 0.06 or not body:
            top, sub = top + 1, 0
            line = _ordinal(top) + "、" + _fill(rng.choice(pools["heads"]), rng, name, year, pools["regions"])
        elif r < 0.14:
            sub += 1
            line = f"（{_ordinal(sub)}）" + _fill(rng.choice(pools["heads"]), rng, name, year, pools["regions"])
        else:
            n = rng.choice((1, 2, 2, 3, 3, 4, 5, 6, 8))
            line = "".join(_fill(rng.choice(pools["sents"]), rng, name, year, pools["regions"]) for _ in range(n))
            if rng.random() < 0.3:
                line = f"{year}年，{rng.choice(shorts) if shorts else name}" + line
        body.append(line)
        size += len(line.encode(encoding)) + 1
    text = "\n".join(head) + "\n" + ("".join(body) if one_line else "\n".join(body)) + "\n"
    return text, encoding


def corpus_path(corpus_dir: Path, mb: float, seed: int) -> Path:
    return corpus_dir / f"{mb:g}mb-s{seed}"


def make_corpus(corpus_dir: Path, mb: float, seed: int = 1, log=print) -> dict:
    """Write (or reuse) the corpus of `mb` MB (10^6 bytes of files); returns its manifest."""
    folder = corpus_path(corpus_dir, mb, seed)
    manifest_path = folder / ".manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("version") == GENERATOR_VERSION and manifest.get("mb") == mb and manifest.get("seed") == seed:
            return manifest
    started = time.perf_counter()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    pools = _pools()
    files, total, chars, i = [], 0, 0, 0
    while total < mb * 1e6:
        text, enc = make_document(i, seed, pools)
        data = text.encode(enc)
        name = f"doc_{i:06d}.txt"
        (folder / name).write_bytes(data)
        files.append([name, enc, len(data)])
        total += len(data)
        chars += len(text)
        i += 1
    manifest = {"version": GENERATOR_VERSION, "mb": mb, "seed": seed, "files": files, "bytes": total,
                "chars": chars, "seconds": round(time.perf_counter() - started, 2)}
    manifest_path.write_text(json.dumps(manifest))
    log(f"corpus {folder}: {len(files)} files, {total / 1e6:.1f} MB, {chars / 1e6:.1f} M chars "
        f"({manifest['seconds']} s)")
    return manifest
