import pytest

from qa.facts.numbers import find_numbers, parse_number, parse_year
from qa.types import Qualifier

Q = Qualifier


@pytest.mark.parametrize(
    "s, value",
    [
        ("119", 119), ("1,094", 1094), ("1.1万", 11000), ("15万", 150000), ("3.5亿", 350_000_000),
        ("九十", 90), ("一百三十四", 134), ("零", 0), ("〇", 0), ("十", 10), ("十二", 12), ("两千", 2000),
        ("一万二千", 12000), ("二百零五", 205), ("１１９", 119), (" 21 ", 21), ("一千零九十四", 1094),
    ],
)
def test_parse_number(s, value):
    assert parse_number(s) == value


@pytest.mark.parametrize("s", ["", "abc", "二〇一三", "政府", "万"])
def test_parse_number_none(s):
    assert parse_number(s) is None


def test_parse_year():
    assert parse_year("二〇一三") == 2013
    assert parse_year("二零一三年") == 2013
    assert parse_year("2013年") == 2013
    assert parse_year("九十") is None


def one(text):
    counts = [m for m in find_numbers(text) if m.kind == "count"]
    assert len(counts) == 1, counts
    return counts[0]


@pytest.mark.parametrize(
    "text, value, qualifier, unit",
    [
        ("160餘件", 160, Q.at_least, "件"),
        ("近200场", 200, Q.nearly, "场"),
        ("15万余条", 150000, Q.at_least, "条"),
        ("1.1万条", 11000, Q.exact, "条"),
        ("5500余人次", 5500, Q.at_least, "人次"),
        ("700余万次", 7_000_000, Q.at_least, "次"),
        ("受理政府信息公开申请 21 件", 21, Q.exact, "件"),
        ("共收到政府信息公开申请119份", 119, Q.exact, "份"),
        ("约300人", 300, Q.approx, "人"),
        ("300人左右", 300, Q.approx, "人"),
        ("超过50条", 50, Q.at_least, "条"),
        ("逾1000条", 1000, Q.at_least, "条"),
        ("100件以上", 100, Q.at_least, "件"),
        ("接近80场", 80, Q.nearly, "场"),
        ("将近80场", 80, Q.nearly, "场"),
        ("200多场", 200, Q.at_least, "场"),
        ("信息更新15万元", 15, Q.exact, "万元"),
        ("全年收取政府信息公开信息处理费 0 元", 0, Q.exact, "元"),
        ("均為零件", 0, Q.exact, "件"),
        ("办理一百三十四件", 134, Q.exact, "件"),
        ("依法办结行政复议案件九十起", 90, Q.exact, "起"),
        ("累计1,094条", 1094, Q.exact, "条"),
        ("兼职人员 2人", 2, Q.exact, "人"),
        ("节约资金15万元", 15, Q.exact, "万元"),  # 节约 is not 约
        ("最近3件", 3, Q.exact, "件"),  # 最近 is not 近
    ],
)
def test_find_counts(text, value, qualifier, unit):
    m = one(text)
    assert (m.value, m.qualifier, m.unit) == (value, qualifier, unit)


def test_incomplete_statistics_traditional():
    (m,) = find_numbers("據不完全統計，全年依申請公開信息160餘件。")
    assert m.value == 160 and m.incomplete
    assert m.qualifier == Q.at_least  # the number's own word wins; the caveat is flagged
    assert "据不完全统计" in m.notes
    (m,) = find_numbers("据不完全统计，共收到申请30件。")
    assert m.qualifier == Q.incomplete


def test_offsets_index_original():
    text = "全年依申請公開信息 1,094 條"
    m = one(text)
    assert text[m.start:m.end] == "1,094" == m.raw
    assert m.unit == "条"


def kinds(text):
    return [(m.raw, m.kind) for m in find_numbers(text)]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("98%", "percent"), ("98.5％", "percent"), ("提高3个百分点", "percent"), ("百分之九十八", "percent"),
        ("2013年1月1日", "date"), ("2013-01-01", "date"), ("12月31日", "date"), ("上午9:30", "date"),
        ("0517-87222589", "phone"), ("电话：010-65961114", "phone"), ("13912345678", "phone"),
        ("12345热线", "phone"),
        ("国办发〔2019〕14号", "docno"), ("国办(2019)61号", "docno"), ("（国令第 711 号）", "docno"),
        ("国务院令第492号", "docno"), ("苏ICP备05009234号", "docno"), ("京公网安备11010102000001号", "docno"),
        ("第三", "ordinal"), ("第12届", "ordinal"), ("（2）", "ordinal"),
        ("邮编：223100", "other"), ("xxgk2013@mfa.gov.cn", "other"), ("http://www.gov.cn/zwgk/2013/index.htm", "other"),
        ("15个工作日", "other"), ("5G", "other"),
    ],
)
def test_kinds(text, kind):
    found = kinds(text)
    assert found and all(k == kind for _, k in found), found


def test_years():
    assert kinds("2013年") == [("2013", "year")]
    assert kinds("2019 年") == [("2019", "year")]
    assert kinds("二〇一三年") == [("二〇一三", "year")]
    assert kinds("2013—2014年") == [("2013", "year"), ("2014", "year")]
    assert kinds("2013年度") == [("2013", "year")]
    ms = find_numbers("2023 年，我区在政府网站平台主动公开政府信息 1136 条")
    assert [(m.raw, m.kind, m.value) for m in ms] == [("2023", "year", 2023), ("1136", "count", 1136)]


def test_list_marker_is_ordinal():
    assert kinds("1、受理申请3件") == [("1", "ordinal"), ("3", "count")]
    assert kinds("2.公开目录") == [("2", "ordinal")]


def test_chinese_words_are_not_numbers():
    assert find_numbers("一是加强领导，进一步统一思想，十分重视，百姓满意，两会期间") == []
    assert find_numbers("十八大以来") == []


def test_units_and_qualifier_span():
    text = "例行记者会近200场。"
    (m,) = find_numbers(text)
    assert text[m.qual_start:m.unit_end] == "近200场"
