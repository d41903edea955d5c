"""Context: a city bureau's branch office reports on its district (etl/catalog/branch_office.py).
Layout of a district branch's yearly report, written here in our own words."""
from __future__ import annotations

from etl.catalog.branch_office import branch_district
from tests.reading import read


def test_a_branch_office_page_speaking_of_its_district_is_the_district():
    text = ("郑州市生态环境局金水分局2023年度工作总结\n"
            "2023年,我区扎实推进蓝天保卫战,全年PM2.5年均浓度为44微克/立方米,优良天数为231天。\n")
    ms = read(text)
    assert {(m.indicator, m.region, m.value) for m in ms if m.kind == "actual"} >= {
        ("PM2.5浓度", "金水区", 44), ("优良天数", "金水区", 231)}


def test_the_branch_needs_its_own_self_words_and_a_district_of_the_city():
    assert branch_district("郑州市生态环境局金水分局2023年度工作总结", "全市优良天数为231天") is None
    assert branch_district("郑州市生态环境局2023年度工作总结", "我区优良天数为231天") is None
    assert branch_district("郑州市生态环境局中站分局2023年度工作总结", "我区优良天数为231天") is None  # 中站区 is 焦作's
