"""Agency linking on the real agency names of the Pingtan corpus (tune departments only).

The names and years come from ../shared/corpus/pingtan/MANIFEST.tsv as the report titles write
them; no list of aliases is involved: short forms, older names, English names and place-only
questions are linked by rule, and a question never gets an agency it did not name.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import defaultdict

import pytest

from conftest import ROOT, SHARED
from qa.link import describe_years
from qa.understand import understand

MANIFEST = SHARED / "corpus" / "pingtan" / "MANIFEST.tsv"
TUNE = ("czj", "gwh", "gyz", "jjf", "scj", "shs")


@pytest.fixture(scope="module")
def held() -> dict[str, list[int]]:
    years: dict[str, set[int]] = defaultdict(set)
    with MANIFEST.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["file"].startswith(TUNE):
                years[row["agency"]].add(int(row["year"]))
    return {a: sorted(ys) for a, ys in years.items()}


@pytest.mark.parametrize("question,agency", [
    ("平潭县财政局2012年收到多少申请？", "平潭县财政局"),  # the full old name
    ("平潭财政局2012年收到多少申请？", "平潭县财政局"),  # one character dropped: the county bureau
    ("平潭财金局2015年主动公开了多少条信息？", "平潭综合实验区财政金融局"),  # 财金局 → 财政金融局
    ("实验区经发局2022年收到多少申请？", "平潭综合实验区经济发展局"),  # 经发局 → 经济发展局
    ("平潭管委会办公室2021年主动公开了多少条信息？", "平潭综合实验区管委会办公室"),
    ("平潭國資局2020年點擊瀏覽數量是多少？", "平潭综合实验区国有资产管理局"),  # traditional
    ("平潭市场监管局2022年行政许可处理决定数量是多少？", "平潭综合实验区市场监督管理局"),
    ("平潭县卫生局2012年主动公开了多少条信息？", "平潭县卫生局"),
    ("How many items did the Pingtan County Finance Bureau proactively disclose in 2010?", "平潭县财政局"),
    ("How many items did the Pingtan County Bureau of Letters and Calls disclose in 2011?", "平潭县信访局"),
    ("What did the Pingtan Comprehensive Experimental Zone Social Affairs Bureau's report say in 2022?",
     "平潭综合实验区社会事业局"),
    ("How many items did the Pingtan County Administration for Industry and Commerce disclose in 2012?",
     "平潭县工商局"),
    ("How many applications did the Pingtan Market Supervision Administration receive in 2019?",
     "平潭综合实验区市场监督管理局"),
    ("How many 政策解读 did 平潭综合实验区经济发展局 publish in 2020?", "平潭综合实验区经济发展局"),
    ("How many posts did the “平潭国资” WeChat account push in 2021?", "平潭综合实验区国有资产管理局"),
])
def test_short_old_and_english_names_link(held, question, agency):
    q = understand(question, held)
    assert q.agencies == [agency], (q.agencies, q.agency_candidates, q.unknown_agency, q.agency_mentions)
    assert not q.unknown_agency and not q.agency_candidates


@pytest.mark.parametrize("question", [
    "平潭经发局2012年收到多少申请？",  # 平潭县经济发展局 and 平潭综合实验区经济发展局 both report 2012
    "平潭2021年收到多少政府信息公开申请？",  # only the place: every 2021 agency of 平潭 fits
    "平潭局2019年收到多少申请？",
])
def test_several_candidates_answer_for_none(held, question):
    q = understand(question, held)
    assert q.agencies == [] and len(q.agency_candidates) >= 2, q


@pytest.mark.parametrize("question,mention", [
    ("平潭综合实验区农村发展局2020年主动公开了多少条政府信息？", "农村发展局"),  # 发展局 fits, 农村 does not
    ("平潭综合实验区自然资源与规划局2022年收到多少申请？", "自然资源与规划局"),
    ("How many applications did the Pingtan Bureau of Statistics receive in 2021?", "Statistics"),
    ("商务部2013年收到多少份政府信息公开申请？", "商务部"),
])
def test_unknown_agencies_are_named_not_guessed(held, question, mention):
    q = understand(question, held)
    assert q.agencies == [] and not q.agency_candidates, q
    assert q.unknown_agency and mention in q.unknown_agency


@pytest.mark.parametrize("question", [
    "How many government information items were disclosed in 2021?",  # "government" names no agency
    "2013年收到多少政府信息公开申请？",  # 政府 inside 政府信息公开
])
def test_institution_words_alone_name_no_agency(held, question):
    q = understand(question, held)
    assert q.agencies == [] and not q.agency_candidates and not q.unknown_agency, q


def test_year_narrows_a_short_form(held):
    """平潭财金局 fits both finance bureaus' names; only the 财政金融局 reports 2016 under a full name."""
    q2013 = understand("平潭财政金融局2013年主动公开了多少条？", held)
    assert q2013.agencies == ["平潭综合实验区财政金融局"]
    q2010 = understand("平潭财政局2010年主动公开了多少条？", held)
    assert q2010.agencies == ["平潭县财政局"]


@pytest.mark.parametrize("question,agency", [
    ("2021年平潭市场监管政府信息公开申请有多少件？", "平潭综合实验区市场监督管理局"),
    ("平潭市场监管2016年政府信息公开申请有多少件？", "平潭市场监督管理局"),
])
def test_a_short_form_without_suffix_is_narrowed_by_the_year(held, question, agency):
    """平潭市场监管 fits the bureau's 2016 name and its later one; 市场 is no 市 (平潭市 is no place)."""
    assert understand(question, held).agencies == [agency]


def test_government_information_ends_no_agency_name(held):
    """…公安政府信息公开申请: with 淮安市人民政府 in the store, 安政府 fits its name; the mention left
    when 公 is not in it must not become an unknown agency (the answer turned into "not ingested")."""
    store = {**held, "淮安市人民政府": [2024]}
    query = understand("平潭财金局2020年涉及公安政府信息公开申请有多少件？", store)
    assert query.unknown_agency is None
    assert query.agencies == ["平潭综合实验区财政金融局"]


def test_years_held_are_folded(held):
    line = describe_years("平潭综合实验区财政金融局", held)
    assert line.startswith("平潭综合实验区财政金融局: 2012–") and "2016" not in line.split("–")[0]


# ------------------------------------------------------------------ English mentions (qa/link_en.py)
@pytest.mark.parametrize("question,agency", [
    # pinyin: the syllables in the name's order, ending on its suffix (ju 局): the short-form rule
    ("What share of the government information produced by the Pingtan Caizheng Jinrong Ju in 2017 was "
     "proactively disclosed?", "平潭综合实验区财政金融局"),
    ("How many updates did the Pingtan Guoziju post in 2020?", "平潭综合实验区国有资产管理局"),  # 国资局, one word
    ("How many people worked on disclosure at the Pingtan Shehui Shiye Ju in 2015?", "平潭综合实验区社会事业局"),
    ("How many applications did Píngtán Tóuzī Cùjìn Jú receive in 2024?", "平潭综合实验区投资促进局"),  # tone marks
    ("How many items did the Pingtan Lüyou Ju publish in 2011?", "平潭县旅游局"),  # ü (pypinyin writes lv)
    ("How many items did the Pingtan Guanweihui Bangongshi publish in 2020?", "平潭综合实验区管委会办公室"),
])
def test_pinyin_names_link(held, question, agency):
    q = understand(question, held)
    assert q.agencies == [agency], (q.agencies, q.agency_candidates, q.unknown_agency, q.agency_mentions)


@pytest.mark.parametrize("question", [
    "How many applications did the Pingtan Tongji Ju receive in 2021?",  # 统计局: not ingested
    "How many applications did the Pingtan Nongcun Fazhan Ju receive in 2020?",  # 发展局 fits, nongcun does not
    "How many applications did the Pingtan Ju receive in 2021?",  # every bureau of Pingtan
])
def test_pinyin_that_fits_no_one_agency_is_no_guess(held, question):
    q = understand(question, held)
    assert q.agencies == [], q
    assert q.unknown_agency or len(q.agency_candidates) >= 2, q


@pytest.mark.parametrize("question,agency", [
    ("Did Pingtan's State Assets Bureau charge any fees in 2022?", "平潭综合实验区国有资产管理局"),
    ("What was the number of items published proactively by Pingtan's market regulator in 2016?", "平潭市场监督管理局"),
    ("Did Pingtan's market regulator face any lawsuits in 2025?", "平潭综合实验区市场监督管理局"),
    ("How many applications did Pingtan's market supervision bureau receive in 2021?", "平潭综合实验区市场监督管理局"),
    # CC-CEDICT for a word the glossary does not hold: fishery → 渔业, assets → 资产, petition → 信访
    ("How many applications did the Pingtan Fishery Bureau receive in 2011?", "平潭县海洋与渔业局"),
    ("How many applications did the Pingtan Assets Bureau receive in 2021?", "平潭综合实验区国有资产管理局"),
    ("How many applications did the Pingtan Petition Bureau receive in 2011?", "平潭县信访局"),
])
def test_english_words_beyond_the_glossary_forms(held, question, agency):
    q = understand(question, held)
    assert q.agencies == [agency], (q.agencies, q.agency_candidates, q.unknown_agency, q.agency_mentions)


@pytest.mark.parametrize("question,mention", [
    ("How many applications did the Pingtan Planning Bureau receive in 2011?", "Planning"),  # 计划生育 says more
    ("How many applications did the Pingtan Industry Bureau receive in 2012?", "Industry"),  # 工商 or 渔业?
    ("How many applications did the Pingtan Rural Development Bureau receive in 2020?", "Rural"),
])
def test_dictionary_words_that_do_not_say_which_agency_are_unknown(held, question, mention):
    q = understand(question, held)
    assert q.agencies == [] and not q.agency_candidates, q
    assert q.unknown_agency and mention in q.unknown_agency


@pytest.mark.parametrize("question,agencies", [
    # 's after the institution word ends the name: the office is the bureau's
    ("How many people in the Pingtan Social Affairs Bureau's office worked part-time on information disclosure "
     "in 2015?", ["平潭综合实验区社会事业局"]),
    ("How many applications did Pingtan County's Finance Bureau receive in 2010?", ["平潭县财政局"]),
    # a place and generic words ("Pingtan government" portal) name no agency when another mention does
    ("How many policy interpretations were published on the Pingtan government portal in 2025, according to the "
     "Management Committee Office's report?", ["平潭综合实验区管委会办公室"]),
    ("What did the Pingtan Market Supervision Administration report to the provincial regulator in 2020?",
     ["平潭综合实验区市场监督管理局"]),
    ("In 2021, how many applications did Pingtan's market regulator and the Pingtan Social Affairs Bureau each "
     "receive?", ["平潭综合实验区市场监督管理局", "平潭综合实验区社会事业局"]),
])
def test_possessives_and_place_words_inside_a_question(held, question, agencies):
    q = understand(question, held)
    assert q.agencies == agencies and not q.unknown_agency, (q.agencies, q.unknown_agency, q.agency_mentions)


def test_a_place_and_generic_words_alone_name_no_agency(held):
    q = understand("How many items were published on the Pingtan government portal in 2025?", held)
    assert q.agencies == [], q


def test_pinyin_and_dictionary_load_only_when_needed():
    """pypinyin (~0.3 s) only for English questions; CC-CEDICT (~2 s) only for a word of a mention
    that neither the glossary nor pinyin explains."""
    code = (
        "import sys; from qa.understand import understand\n"
        "held = {'平潭综合实验区财政金融局': [2020], '平潭县海洋与渔业局': [2011]}\n"
        "understand('平潭财金局2020年收到多少申请？', held); print('pypinyin' in sys.modules)\n"
        "understand('How many items did the Pingtan Finance Bureau publish in 2020?', held)\n"
        "print('pypinyin' in sys.modules, 'qa.answer.cedict' in sys.modules)\n"
        "understand('How many items did the Pingtan Fishery Bureau publish in 2011?', held)\n"
        "print('qa.answer.cedict' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": ""}, check=True).stdout.split()
    assert out == ["False", "True", "False", "True"], out



OTHER_BUREAUS = ["平潭综合实验区行政审批局", "平潭综合实验区公安局", "平潭综合实验区交通与建设局", "平潭综合实验区财政金融局",
                 "平潭综合实验区市场监督管理局", "平潭综合实验区自然资源与规划局", "平潭综合实验区住房和城乡建设局",
                 "平潭综合实验区卫生健康委员会", "平潭综合实验区文化旅游和体育局", "平潭综合实验区教育与体育局",
                 "平潭综合实验区生态环境局"]


@pytest.mark.parametrize("name,agency", [
    # standard English names of bureaus, from the glossary's general terms (no per-agency alias)
    ("Pingtan Administrative Examination and Approval Bureau", "平潭综合实验区行政审批局"),
    ("Pingtan Examination and Approval Bureau", "平潭综合实验区行政审批局"),
    ("Pingtan police", "平潭综合实验区公安局"),
    ("the Pingtan PSB", "平潭综合实验区公安局"),
    ("Pingtan Traffic and Construction Bureau", "平潭综合实验区交通与建设局"),
    # bureaus of departments no report here comes from: general terms and short forms, 与 read as "and"
    ("Pingtan Natural Resources and Planning Bureau", "平潭综合实验区自然资源与规划局"),
    ("Pingtan Housing and Urban-Rural Development Bureau", "平潭综合实验区住房和城乡建设局"),
    ("Pingtan Health Commission", "平潭综合实验区卫生健康委员会"),
    ("Pingtan Culture, Tourism and Sports Bureau", "平潭综合实验区文化旅游和体育局"),
    ("Pingtan Education and Sports Bureau", "平潭综合实验区教育与体育局"),
    ("Pingtan Bureau of Ecology and Environment", "平潭综合实验区生态环境局"),
    ("平潭住建局", "平潭综合实验区住房和城乡建设局"),
    ("平潭卫健委", "平潭综合实验区卫生健康委员会"),
    ("平潭教体局", "平潭综合实验区教育与体育局"),
])
def test_bureaus_named_as_readers_name_them(name, agency):
    query = understand(f"How many applications did {name} receive in 2021?", {a: [2021] for a in OTHER_BUREAUS})
    assert query.agencies == [agency], (query.agencies, query.unknown_agency, query.agency_candidates)


def test_an_english_name_takes_the_agency_whose_name_says_no_more():
    """2012: 平潭县交通局 and 平潭综合实验区交通与建设局 both reported. "Transport Bureau" says nothing of 建设:
    the county bureau, as 平潭交通局 would be; "Finance Bureau" (财政局 / 财政金融局) stays ambiguous."""
    held = {"平潭县交通局": [2012], "平潭综合实验区交通与建设局": [2012], "平潭县财政局": [2012],
            "平潭综合实验区财政金融局": [2012]}
    assert understand("How many applications did the Pingtan Transport Bureau receive in 2012?", held).agencies \
        == ["平潭县交通局"]
    q = understand("How many applications did the Pingtan Finance Bureau receive in 2012?", held)
    assert q.agencies == [] and set(q.agency_candidates) == {"平潭县财政局", "平潭综合实验区财政金融局"}


def test_pinyin_names_typed_in_lower_case():
    """After the place's pinyin, lower-case pinyin ending on a suffix syllable names the agency;
    short words that only happen to be syllables ("he ban") name none."""
    held = {"平潭综合实验区经济发展局": [2019], "平潭综合实验区财政金融局": [2019], "平潭综合实验区管委会办公室": [2019]}
    assert understand("pingtan jingji fazhan ju, 2019: how many items did it disclose?", held).agencies \
        == ["平潭综合实验区经济发展局"]
    assert understand("How many requests did pingtan caizheng ju get in 2019?", held).agencies == ["平潭综合实验区财政金融局"]
    assert understand("did pingtan he ban receive any requests in 2019?", held).agencies == []


def test_a_possessive_after_of_ends_the_name():
    held = {"平潭综合实验区社会事业局": [2022], "平潭综合实验区财政金融局": [2022]}
    q = understand("What's the figure for the cumulative number of reads of the Social Affairs Bureau of Pingtan's "
                   "WeChat articles at the end of 2022?", held)
    assert q.agencies == ["平潭综合实验区社会事业局"] and not q.unknown_agency
