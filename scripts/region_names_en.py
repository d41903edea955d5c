"""Fill the name_en column of data/catalog/regions.csv: English names for every region.

Provinces, the country and the groupings have official or customary English names (below);
prefectures and counties are romanised in Hanyu Pinyin (pypinyin, a development-time tool
only: `pip install pypinyin`), with the administrative suffix translated (区 District, 县 County,
自治州 Autonomous Prefecture, 盟 League, 旗 Banner …) and 市 dropped, as the State Council's
English usage does (成都市 Chengdu, 都江堰市 Dujiangyan). Run after scripts/make_gazetteer.py:

    python scripts/region_names_en.py
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from pypinyin import Style, lazy_pinyin

PATH = Path(__file__).resolve().parents[1] / "data" / "catalog" / "regions.csv"

OFFICIAL = {
    "全国": "China", "北京市": "Beijing", "天津市": "Tianjin", "河北省": "Hebei", "山西省": "Shanxi",
    "内蒙古自治区": "Inner Mongolia Autonomous Region", "辽宁省": "Liaoning", "吉林省": "Jilin",
    "黑龙江省": "Heilongjiang", "上海市": "Shanghai", "江苏省": "Jiangsu", "浙江省": "Zhejiang", "安徽省": "Anhui",
    "福建省": "Fujian", "江西省": "Jiangxi", "山东省": "Shandong", "河南省": "Henan", "湖北省": "Hubei",
    "湖南省": "Hunan", "广东省": "Guangdong", "广西壮族自治区": "Guangxi Zhuang Autonomous Region",
    "海南省": "Hainan", "重庆市": "Chongqing", "四川省": "Sichuan", "贵州省": "Guizhou", "云南省": "Yunnan",
    "西藏自治区": "Tibet Autonomous Region", "陕西省": "Shaanxi", "甘肃省": "Gansu", "青海省": "Qinghai",
    "宁夏回族自治区": "Ningxia Hui Autonomous Region", "新疆维吾尔自治区": "Xinjiang Uygur Autonomous Region",
    "台湾省": "Taiwan", "香港特别行政区": "Hong Kong SAR", "澳门特别行政区": "Macao SAR",
    "新疆生产建设兵团": "Xinjiang Production and Construction Corps",
    "杨凌农业高新技术产业示范区": "Yangling Agricultural Hi-tech Industries Demonstration Zone",
    "西咸新区": "Xixian New Area", "雄安新区": "Xiong'an New Area", "兰州新区": "Lanzhou New Area",
    "贵安新区": "Gui'an New Area", "两江新区": "Liangjiang New Area", "天府新区": "Tianfu New Area",
    "宁东能源化工基地": "Ningdong Energy and Chemical Industry Base", "赣江新区": "Ganjiang New Area",
    "湘江新区": "Xiangjiang New Area", "滇中新区": "Central Yunnan New Area", "哈尔滨新区": "Harbin New Area",
    "长春新区": "Changchun New Area", "金普新区": "Jinpu New Area", "福州新区": "Fuzhou New Area",
    "江北新区": "Jiangbei New Area", "舟山群岛新区": "Zhoushan Archipelago New Area",
    "西海岸新区": "West Coast New Area",
    "京津冀及周边地区": "Beijing-Tianjin-Hebei and surrounding areas", "京津冀地区": "Beijing-Tianjin-Hebei",
    "长三角地区": "Yangtze River Delta", "汾渭平原": "Fenwei Plain", "成渝地区": "Chengdu-Chongqing area",
    "川渝地区": "Sichuan-Chongqing area", "天山北坡城市群": "North Slope of Tianshan city cluster",
    "长江经济带": "Yangtze River Economic Belt", "黄河流域": "Yellow River basin",
    "粤港澳大湾区": "Guangdong-Hong Kong-Macao Greater Bay Area", "珠三角地区": "Pearl River Delta",
    "东北地区": "Northeast China", "苏皖鲁豫交界地区": "Jiangsu-Anhui-Shandong-Henan border area",
    "环渤海地区": "Bohai Rim", "青藏高原": "Qinghai-Tibet Plateau", "三江源地区": "Three-River Source area",
    "长江流域": "Yangtze River basin", "珠江流域": "Pearl River basin", "松花江流域": "Songhua River basin",
    "淮河流域": "Huai River basin", "海河流域": "Hai River basin", "辽河流域": "Liao River basin",
    "浙闽片河流": "Zhejiang-Fujian rivers", "西北诸河": "Northwest rivers", "西南诸河": "Southwest rivers",
    "成都平原经济区": "Chengdu Plain Economic Zone", "川南经济区": "South Sichuan Economic Zone",
    "川东北经济区": "Northeast Sichuan Economic Zone", "攀西经济区": "Panxi Economic Zone",
    "川西北生态示范区": "Northwest Sichuan Ecological Demonstration Zone",
}

ETHNIC = {  # 民族 in the names of autonomous prefectures, counties and banners
    "朝鲜族": "Korean", "蒙古族": "Mongol", "蒙古": "Mongol", "藏族": "Tibetan", "回族": "Hui", "苗族": "Miao",
    "彝族": "Yi", "壮族": "Zhuang", "布依族": "Bouyei", "侗族": "Dong", "瑶族": "Yao", "白族": "Bai",
    "土家族": "Tujia", "哈尼族": "Hani", "哈萨克族": "Kazak", "哈萨克": "Kazak", "傣族": "Dai", "黎族": "Li",
    "傈僳族": "Lisu", "佤族": "Va", "畲族": "She", "拉祜族": "Lahu", "水族": "Sui", "东乡族": "Dongxiang",
    "纳西族": "Naxi", "景颇族": "Jingpo", "柯尔克孜": "Kirgiz", "土族": "Tu", "达斡尔族": "Daur",
    "仫佬族": "Mulao", "羌族": "Qiang", "撒拉族": "Salar", "毛南族": "Maonan", "仡佬族": "Gelao",
    "锡伯": "Xibe", "普米族": "Pumi", "怒族": "Nu", "鄂温克族": "Ewenki", "鄂温克": "Ewenki",
    "保安族": "Bonan", "裕固族": "Yugur", "独龙族": "Derung", "鄂伦春": "Oroqen", "满族": "Manchu",
    "各族": "Multi-ethnic", "塔吉克": "Tajik", "俄罗斯族": "Russian",
}
SUFFIXES = [  # longest first; '' drops the suffix
    ("自治州", "Autonomous Prefecture"), ("自治县", "Autonomous County"), ("自治旗", "Autonomous Banner"),
    ("林区", "Forestry District"), ("新区", "New Area"), ("特区", "Special District"), ("地区", "Prefecture"),
    ("区", "District"), ("县", "County"), ("旗", "Banner"), ("盟", "League"), ("市", ""),
]
ETHNIC_RE = re.compile("(?:" + "|".join(sorted(map(re.escape, ETHNIC), key=len, reverse=True)) + ")$")
READINGS = {"长": "chang", "重": "chong"}  # polyphones whose place-name reading pypinyin misses at a name's start


def pinyin(text: str) -> str:
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    if syllables and text[:1] in READINGS:
        syllables[0] = READINGS[text[0]]
    word = syllables[0] if syllables else ""
    for s in syllables[1:]:
        word += ("'" if s[:1] in "aoe" else "") + s
    return word[:1].upper() + word[1:]


def english(name: str) -> str:
    if name in OFFICIAL:
        return OFFICIAL[name]
    stem, suffix = name, ""
    for zh, en in SUFFIXES:
        if name.endswith(zh) and len(name) > len(zh) + 1:
            stem, suffix = name[: -len(zh)], en
            break
    if "自治" in suffix or "Autonomous" in suffix:
        peoples = []
        while m := ETHNIC_RE.search(stem):
            peoples.insert(0, ETHNIC[m.group(0)])
            stem = stem[: m.start()]
        if peoples:
            suffix = " and ".join(peoples) + " " + suffix
    return " ".join(p for p in (pinyin(stem), suffix) if p)


def main() -> None:
    lines = PATH.read_text(encoding="utf-8").splitlines(keepends=True)
    comments = [line for line in lines if line.lstrip().startswith("#")]
    note = "# name_en:     English name (scripts/region_names_en.py: official names, else Hanyu Pinyin)\n"
    if note not in comments:
        at = next(i for i, line in enumerate(comments) if line.startswith("# parent_code:"))
        at = next(i for i in range(at + 1, len(comments)) if not comments[i].startswith("#    "))
        comments.insert(at, note)
    body = [line for line in lines if not line.lstrip().startswith("#") and line.strip()]
    rows = list(csv.DictReader(body))
    fields = [f for f in csv.DictReader(body).fieldnames if f != "name_en"] + ["name_en"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        row["name_en"] = english(row["name"])
        writer.writerow(row)
    PATH.write_text("".join(comments) + out.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
