"""Clean stage on real scraped text from the samples."""
from pathlib import Path

import pytest

from etl.clean import clean, detect_script, to_simplified

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def test_pinyin_glosses_are_removed_and_offsets_still_point_at_the_raw_text():
    raw = "把生態(tài)文明建設作為關系中華民族永續(xù)發(fā)展的根本大計"
    ct = clean(raw)
    assert ct.text == "把生態文明建設作為關系中華民族永續發展的根本大計"
    assert ct.simplified == "把生态文明建设作为关系中华民族永续发展的根本大计"
    for i, ch in enumerate(ct.text):
        assert raw[ct.to_raw(i)] == ch


def test_doubled_and_toneless_glosses_are_removed_too():
    raw = "平均濃度(du)為30微(wei)(wei)克(ke)/立方米,重(zhong)污(wu)(wu)染天數比(bi)例(li)為1.6%"
    ct = clean(raw)
    assert ct.text == "平均濃度為30微克/立方米,重污染天數比例為1.6%"
    for i, ch in enumerate(ct.text):
        assert raw[ct.to_raw(i)] == ch


def test_a_character_lost_to_a_question_mark_is_put_back_when_the_next_one_tells_it():
    ct = clean("全市空氣質(zhì)量?jì)?yōu)良率為91.2%")
    assert ct.simplified == "全市空气质量优良率为91.2%"
    # debris whose next character tells nothing is only removed; a real question mark stays
    assert clean("水質(zhì)?wèi)斷面").simplified == "水质断面"
    assert clean("是否达标?答案见下").simplified == "是否达标?答案见下"


def test_full_width_digits_and_signs_become_ascii_one_for_one():
    ct = clean("ＰＭ２．５浓度为２９．３微克／立方米，同比下降２．７％")
    assert ct.text == "PM2.5浓度为29.3微克/立方米,同比下降2.7%"
    assert len(ct.text) == len(ct.simplified)


def test_grade_numerals_are_kept_and_ocr_hi_is_mended():
    ct = clean("5个断面水质平均值达到HI类及以上，地下水Ⅰ—Ⅳ类")
    assert "Ⅲ类及以上" in ct.text and "Ⅰ—Ⅳ类" in ct.text


def test_a_horizontal_bar_between_month_numbers_is_a_range_dash():
    assert clean("2月至今,即1―2月,达标天数比例为97.4%").text == "2月至今,即1—2月,达标天数比例为97.4%"
    assert clean("评价时段:3― 6 月").text == "评价时段:3— 6 月"


def test_ocr_letter_o_for_zero_in_numbers():
    assert clean("2O23年PM1O平均浓度").text == "2023年PM10平均浓度"


@pytest.mark.parametrize("raw, cleaned", [
    ("l—12月,优良天数2l9天", "1—12月,优良天数219天"),   # the letter l read for a one
    ("IIl类水质", "Ⅲ类水质"),
    ("CHI类 Oil Apple1 al1", "CHI类 Oil Apple1 al1"),  # letters inside words stay
    ("O3浓度,2Oppm", "O3浓度,2Oppm"),                   # O alone, or before a Latin letter, stays
])
def test_ocr_slips_are_mended_only_beside_numbers(raw, cleaned):
    assert clean(raw).text == cleaned


def test_site_chrome_and_spam_lines_are_dropped_but_content_stays():
    raw = (RAW / "004_b829c909de288036.txt").read_text(encoding="utf-8")
    ct = clean(raw)
    for chrome in ("打印本页", "无障碍浏览", "\n111\n"):
        assert chrome in raw and chrome not in ct.text
    assert "总结2023年生态环境保护工作" in ct.text
    paywalled = (RAW / "000_5c650fc3f44a9d74.txt").read_text(encoding="utf-8")
    assert "##paidend##" in paywalled and "##paidend##" not in clean(paywalled).text


def test_download_site_chunks_are_joined_mid_sentence():
    raw = (RAW / "002_c86b0e6731570959.txt").read_text(encoding="utf-8")
    ct = clean(raw)
    assert "由会员分享" not in ct.text
    # '…生态文\n2、明制度体系…' was one sentence cut by the site's chunk counter
    assert "生态文明制度体系更加健全" in ct.text


def test_a_page_number_line_inside_a_sentence_is_removed_and_the_sentence_joined():
    ct = clean("夜间达标率为\n\n— 3 —\n\n80.0%，同比上升2.5个百分点。")
    assert ct.text == "夜间达标率为80.0%,同比上升2.5个百分点。"
    assert ct.to_raw(ct.text.index("80.0")) == "夜间达标率为\n\n— 3 —\n\n80.0%".index("80.0")


def test_a_long_line_that_mentions_a_spam_word_is_content_not_chrome():
    line = "本站" + "空气质量持续改善，" * 50
    assert clean(line).text == line.replace("，", ",")


def test_related_article_lists_are_dropped():
    raw = "正文第一句。\n相關新聞\n‧ 2022年全國PM2.5平均濃度降至29微克/立方米  2023-05-30\n"
    assert "29微克" not in clean(raw).text


def test_script_detection():
    trad = clean((RAW / "001_345557d4f5c9075c.txt").read_text(encoding="utf-8"))
    simp = clean((RAW / "003_5deb4dfa47148378.txt").read_text(encoding="utf-8"))
    assert detect_script(trad.text, trad.simplified) == "traditional"
    assert detect_script(simp.text, simp.simplified) == "simplified"


def test_simplified_twin_always_has_the_same_length():
    text = "乾隆年間的乾燥氣候與後來的發展"
    assert len(to_simplified(text)) == len(text)


# --- hard line wraps: text converted from PDF (layouts of real bulletins, own words) ------

WRAPPED = (
    "某市2023年生态环境状况公报\n"
    "2023年，全市统筹推进污染防治各项工作，生态环境质量稳中\n"
    "向好。全市环境空气质量优良天数比例为86\n"
    ".5%，细颗粒物（PM2.5）年均浓度为29.3微克/立方米，同比下降\n"
    "2.7%；可吸入颗粒物（PM10）年均浓度为48微克/立方米，达\n"
    "— 3 —\n"
    "某市2023年生态环境状况公报\n"
    "到国家二级标准。\n"
    "二、水环境质量\n"
    "全市12个国控断面中，水质优良断面比例为91.7%，劣Ⅴ类断面比例\n"
    "为0；县级以上集中式饮用水水源地水质达标率继续保持在较高水平，为\n"
    "100%。\n"
    "第 4 页 共 12 页\n"
    "某市2023年生态环境状况公报\n"
    "三、声环境质量\n"
)


def test_a_hard_wrapped_pdf_text_is_rejoined_into_sentences():
    ct = clean(WRAPPED)
    lines = ct.text.split("\n")
    # the title stays once; its copies on every page and the page footers go
    assert lines[0] == "某市2023年生态环境状况公报"
    assert ct.text.count("状况公报") == 1 and "第 4 页" not in ct.text and "— 3 —" not in ct.text
    # sentences are whole again, the number broken at its decimal point too
    assert "生态环境质量稳中向好。" in ct.text
    assert "优良天数比例为86.5%,细颗粒物(PM2.5)年均浓度为29.3微克/立方米,同比下降2.7%;" in ct.text
    assert "48微克/立方米,达到国家二级标准。" in ct.text
    assert "保持在较高水平,为100%。" in ct.text
    # headings stay lines of their own, neither glued to the prose before nor after
    assert "二、水环境质量" in lines and "三、声环境质量" in lines
    # every character still points at itself in the raw text
    for i, ch in enumerate(ct.text):
        if ch not in ",;()":
            assert WRAPPED[ct.to_raw(i)] == ch


def test_a_spam_line_inside_a_sentence_is_removed_and_the_sentence_joined():
    raw = ("2024年上半年，全市环境空气质量综合指数同比改善，优良天数比例为\n"
           "扫一扫在手机打开当前页\n"
           "83.4%，同比上升2.1个百分点。\n")
    assert clean(raw).text.strip() == "2024年上半年,全市环境空气质量综合指数同比改善,优良天数比例为83.4%,同比上升2.1个百分点。"


def test_lines_of_an_unwrapped_page_and_table_rows_are_not_glued():
    raw = ("首页 > 信息公开 > 环境质量\n"
           "市生态环境局关于2023年12月环境质量状况的通报\n"
           "2023年12月，全市优良天数比例为80.6%。\n"
           "城市 | 优良天数比例 | PM2.5\n"
           "甲县 | 83.9% | 41\n")
    lines = clean(raw).text.split("\n")
    assert "市生态环境局关于2023年12月环境质量状况的通报" in lines
    assert "城市 | 优良天数比例 | PM2.5" in lines and "甲县 | 83.9% | 41" in lines


def test_a_repeated_line_with_a_figure_is_data_not_a_running_header():
    raw = "".join(f"{name}\n优良天数比例100.0%\n全年水质均达到国家标准\n" for name in ("甲区", "乙区", "丙区", "丁区"))
    text = clean(raw).text
    assert text.count("优良天数比例100.0%") == 4
    assert text.count("全年水质均达到国家标准") == 1  # a short repeated line with no figure is a running line


def test_a_repost_source_note_inside_a_sentence_goes_and_the_sentence_is_joined():
    raw = ("2023年，全市细颗粒物年均浓度为29微克/立方米（本文来源：某某网），同比下降2.7%；优良天数比例为\n"
           "文章来源：某某日报\n"
           "86.5%。\n")
    assert clean(raw).text.strip() == "2023年,全市细颗粒物年均浓度为29微克/立方米,同比下降2.7%;优良天数比例为86.5%。"


def test_a_source_line_under_a_title_stays():
    raw = "2023年全市生态环境状况公报\n来源：某某市生态环境局 发布时间：2024-05-01\n2023年，全市优良天数比例为86.5%。\n"
    assert "来源:某某市生态环境局 发布时间:2024-05-01" in clean(raw).text.split("\n")


def test_a_stray_break_after_a_dangling_word_or_comma_is_joined():
    raw = "2024年，全市优良天数比例为\n86.5%，同比上升1.1个百分点，\n细颗粒物年均浓度为28微克/立方米。\n二、水环境\n"
    assert clean(raw).text.split("\n")[:2] == ["2024年,全市优良天数比例为86.5%,同比上升1.1个百分点,细颗粒物年均浓度为28微克/立方米。", "二、水环境"]


def test_roman_numerals_a_scraper_dropped_leave_no_debris_in_indicator_names():
    # the numerals of '(Ⅰ～Ⅲ類)' and '劣Ⅴ類' vanished in the scrape; the sea's 劣四类 is untouched
    ct = clean("河流水質優良()斷面比例為80.2%，劣類斷面比例為1.1%，劣類水體2個；近岸海域劣四类水质比例为3%")
    assert "優良斷面比例" in ct.text and "劣Ⅴ類斷面" in ct.text and "劣Ⅴ類水體" in ct.text
    assert "劣四类" in ct.text and "()" not in ct.text


def test_a_synonym_spun_repost_gets_its_report_words_back_where_they_carry_figures():
    ct = clean("本月均匀优秀天数份额为88.1%,PM10、NO2浓度别离为40、18微克/立方米,同比降落3.2%。"
               "两人别离多年,场面均匀铺开。")
    assert "平均优良天数比例为88.1%" in ct.text and "分别为40" in ct.text and "同比下降3.2%" in ct.text
    assert "两人别离多年" in ct.text and "均匀铺开" in ct.text   # ordinary words stay
    assert "优秀天数为120天" in clean("空气质量优秀天数为120天,良好天数为200天。").text  # 优 days, not spun


def _offsets_exact(raw: str, ct) -> None:
    """Every kept character points back at the raw character it came from (after width folding)."""
    from etl.text.normalise import normalise_width
    for i, ch in enumerate(ct.text):
        assert normalise_width(raw[ct.to_raw(i)]) == ch, (i, ch)


def test_a_second_spinner_is_undone_only_around_figures_and_report_phrases():
    # a gambling-spam mirror's spinner: 全国 -> 宇宙, 下降 -> 着落, 上升 -> 飞腾, 污染 -> 稠浊 …
    raw = ("2023年宇宙地级及以上城市细颗粒物平均浓度为31.5微克/立方米,同比着落1.9%,荟萃4年达标;"
           "重稠浊天数比例为1.2%,同比飞腾0.3个百分点。大气环境质料捏续改善。")
    ct = clean(raw)
    assert ct.text.startswith("2023年全国地级及以上城市")
    for repaired in ("同比下降1.9%", "连续4年", "重污染天数比例", "同比上升0.3个百分点", "环境质量"):
        assert repaired in ct.text
    # a swapped-back word is cited where the spun one stands; digits map one for one
    assert ct.to_raw(ct.text.index("下降1.9")) == raw.index("着落1.9")
    assert all(raw[ct.to_raw(i)] == ch for i, ch in enumerate(ct.text) if ch.isdigit())
    # the same words in their own sense stay
    plain = "宇宙飞船着落在草原上,烟花飞腾,汤汁稠浊,这批质料很好。"
    assert clean(plain).text == plain.replace(",", ",")


def test_a_third_spinner_is_undone_only_before_a_national_figure_or_an_assessed_section():
    # 全国 -> 天下, 国家 -> 国度, 考核 -> 稽核
    raw = "1-5月,1940个国度地表水稽核断面中,优良比例为80%;天下地级及以上城市PM2.5浓度为30微克/立方米。"
    text = clean(raw).text
    assert "1940个国家地表水考核断面" in text and "全国地级及以上城市" in text
    plain = "打天下的人走遍了这个国度,稽核账目。"
    assert clean(plain).text == plain.replace(",", ",")


def test_a_pollutant_code_run_into_its_value_gets_its_closing_bracket_back():
    raw = "本月城区均值:细颗粒物(PM2.531微克/立方米,二氧化氮(NO222微克/立方米,一氧化碳(CO1.1毫克/立方米。"
    text = clean(raw).text
    for fixed in ("(PM2.5)31微克", "(NO2)22微克", "(CO)1.1毫克"):
        assert fixed in text
    # a closed bracket, or a code followed by a word, stays as written
    for plain in ("细颗粒物(PM2.5)浓度为31微克/立方米。", "二氧化氮(NO2浓度上升5.6%。"):
        assert clean(plain).text == plain


def test_blanks_inside_a_unit_or_indicator_word_are_removed_and_nothing_else():
    # PDF text: a blank where a word was wrapped or spaced out
    raw = ("与上年相比,优 良天数比例 上升 5.9 个百 分点;第 95 百分 位浓度为 0.9mg/ m3;"
           "天津市细颗粒物年均浓度38 微克/ 立方米。记者 王一 摄")
    ct = clean(raw)
    for repaired in ("优良天数比例 上升 5.9 个百分点", "第 95 百分位浓度", "0.9mg/m3", "38 微克/立方米",
                     "记者 王一 摄"):
        assert repaired in ct.text
    _offsets_exact(raw, ct)
    # a spaced-out heading and a pollutant's name split from its subscript
    assert clean("地 表 水\n年均PM 2.5 浓度为 42μg/m3").text == "地表水\n年均PM2.5浓度为 42μg/m3"
    # a table row of space-separated cells and two words side by side keep their blanks
    for kept in ("南宁 31 24 3.12 88.5%", "北京市 优良天数比例为80.1%"):
        assert clean(kept).text == kept


def test_small_roman_numerals_of_a_lower_cased_page_become_the_grade_capitals():
    # a scraper that lower-cases the page turns 'Ⅰ~Ⅲ类' into 'ⅰ~ⅲ类' (U+2170…): one for one back
    raw = "十大水系的国控断面中,ⅰ~ⅲ类、ⅳ~ⅴ类和劣ⅴ类水质断面比例分别为61.0%、25.3%和13.7%"
    ct = clean(raw)
    assert "Ⅰ~Ⅲ类、Ⅳ~Ⅴ类和劣Ⅴ类" in ct.text and len(ct.text) == len(raw)
    assert ct.to_raw(ct.text.index("Ⅲ")) == raw.index("ⅲ")


def test_a_class_character_lost_after_a_grade_numeral_is_told_by_its_gloss():
    # '類' lost to '?' with its gloss: the next character ('、') tells nothing, the numeral does
    ct = clean("湖库中,Ⅰ~Ⅲ?lèi)、Ⅳ類(lèi)水質比例分別為70.1%、20.4%")
    assert ct.simplified.startswith("湖库中,Ⅰ~Ⅲ类、Ⅳ类水质比例")
    # the same debris after anything else only goes
    assert clean("水體?lèi)、湖泊").simplified == "水体、湖泊"


def test_a_spinners_share_reach_and_farmland_words_are_swapped_back_before_a_figure():
    from etl.clean import clean as clean_text
    text = clean_text("到2020年末,城镇污水集中处理份额到达97.5%;受污染犁地安全利用率到达91%左右。市场份额很大。").text
    assert "污水集中处理比例达到97.5%" in text and "受污染耕地安全利用率达到91%" in text and "市场份额很大" in text


def test_a_spinners_word_for_nature_reserves_is_swapped_back():
    from etl.clean import clean as clean_text
    assert "各类自然保护地面积" in clean_text("各类必然保护地面积约占全省陆域面积的15%。这是必然的。").text


def test_report_prose_that_mentions_a_chrome_word_stays():
    # a city bulletin's paragraph (own words) ending on an app that can be downloaded for free
    prose = ("  监测数据显示,全市环境空气质量指数年均值为81,优良天数比例为73.4%;市区优良天数比例为60.2%。"
             "细颗粒物是首要污染物。市民登录环保局网站扫描二维码即可免费下载空气质量APP。")
    ct = clean("某市2014年环境状况公报\n" + prose + "\n免费下载 | 相关阅读 | 评论\n")
    assert "73.4%" in ct.simplified and "60.2%" in ct.simplified
    assert "相关阅读" not in ct.simplified   # the chrome line under it still goes
