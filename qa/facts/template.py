"""The 2019 and 2021 report templates: their tables' rows, columns and Chinese labels, in one place.

`qa.facts.tables` reads the tables with these definitions and `qa.answer.audit` checks their
arithmetic with the same ones, so a row added here is read and audited alike. Row order is the
template's order: the table reader searches the labels in this order.
"""

from __future__ import annotations

import re

# The six sections of the 2019/2021 templates: (name, pattern on the title's matching view)
TEMPLATE_SECTIONS = [
    ("一、总体情况", r"总体情况|概述"),
    ("二、主动公开政府信息情况", r"主动公开"),
    ("三、收到和处理政府信息公开申请情况", r"收到和处理|依申请"),
    ("四、政府信息公开行政复议、行政诉讼情况", r"行政复议|行政诉讼"),
    ("五、存在的主要问题及改进情况", r"存在的.*问题|改进"),
    ("六、其他需要报告的事项", r"其他需要报告|其他事项"),
]

# ---------------------------------------------------------------- 二、第二十条 (proactive disclosure) tables

# (metric, regex on the compact matching view), in the template's row order.
ART20_ROWS: list[tuple[str, str]] = [
    ("regulations", r"规章"),
    ("normative_documents", r"规范性文件"),
    ("admin_licensing", r"行政许可"),
    ("other_admin_services", r"对外管理服务"),
    ("admin_penalty", r"行政处罚"),
    ("admin_enforcement", r"行政强制"),
    ("admin_fees", r"行政事业性收费"),
    ("central_procurement", r"集中采购"),
]
# Column headers of the 第二十条 tables (2019 and 2021 templates), matched left to right.
ART20_COLUMNS = re.compile(
    r"(?P<issued>本年制发)|(?P<repealed>本年废止)|(?P<in_force>现行有效)"
    r"|(?P<new_made>本年新制作)|(?P<new_published>本年新公开)|(?P<total_published>对外公开总数)"
    r"|(?P<new_either>本年新)|(?P<prev_items>上一年项目)|(?P<change>本年增)"
    r"|(?P<decisions>处理决定)|(?P<fee_amount>本年收费金额)|(?P<items>采购项目)|(?P<amount>采购总金额)"
)
COLUMN_UNITS = {
    "issued": "件", "repealed": "件", "in_force": "件",
    "new_made": "件", "new_published": "件", "total_published": "件",
    "prev_items": "项", "change": "项", "decisions": "件", "items": "个",
}

# ---------------------------------------------------------------- 三、the application table

APPLICANT_SCOPES = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other"]
APPLICATION_COLUMNS = APPLICANT_SCOPES + ["total"]  # the table's seven value columns: 总计 last
SCOPE_ZH = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构", "public_interest": "社会公益组织",
            "legal_services": "法律服务机构", "other": "其他", "total": "总计"}

# (metric, regex on the compact matching view), in the template's row order.
APPLICATION_ROWS: list[tuple[str, str]] = [
    ("applications_received", r"本年新收"),
    ("applications_carried_over", r"上年结转"),
    ("result_public", r"予以公开"),
    ("result_partial", r"部分公开"),
    ("withheld_state_secret", r"国家秘密"),
    ("withheld_law", r"其他法律|法规禁止|行政止公开"),
    ("withheld_security", r"三安全|一稳定"),
    ("withheld_third_party", r"第三方"),
    ("withheld_internal", r"内部事务"),
    ("withheld_process", r"过程性"),
    ("withheld_enforcement", r"执法案[卷件]"),  # 案件 for 案卷: a slip the web copies make
    ("withheld_query", r"查询事项"),
    ("unavailable_not_held", r"不掌握"),
    ("unavailable_needs_creation", r"另行制作|现成信息"),
    ("unavailable_unclear", r"仍不明确|补正后申请"),
    ("unprocessed_petition", r"信访|举报投诉"),
    ("unprocessed_repeat", r"重复申请"),
    ("unprocessed_publication", r"出版物"),
    ("unprocessed_mass", r"大量反复"),
    ("unprocessed_confirm", r"确认或重|重新出具"),
    ("other_processing", r"其他处理"),
    ("other_no_correction", r"逾期不补|不补正"),
    ("other_no_fee", r"缴纳费用|收费通知"),
    ("other_other", r"3[.、,，]其他(?!法律)|其他(?=\d)"),  # the 3. is sometimes dropped: "其他0 0 0 0 0 00"
    ("results_total", r"(?:[(（]七[)）])?总计"),
    ("carried_forward", r"结转下年|下年度继续"),
]
APPLICATION_METRICS = [m for m, _ in APPLICATION_ROWS]
# 三、本年度办理结果 （一）…（五）: the result rows every template has
RESULT_ROWS = APPLICATION_METRICS[APPLICATION_METRICS.index("result_public"):
                                  APPLICATION_METRICS.index("other_processing")]
# （六）其他处理: one row in the 2019 template, a heading over these three sub-rows in the 2021 one
OTHER_SUBROWS = ["other_no_correction", "other_no_fee", "other_other"]
ROW_LABEL = {
    "applications_received": "一、本年新收", "applications_carried_over": "二、上年结转",
    "results_total": "三（七）总计", "carried_forward": "四、结转下年度继续办理",
}

# ---------------------------------------------------------------- 四、the review and litigation table

REVIEW_GROUPS = [  # (Chinese heading, metric prefix), in the table's column order
    ("行政复议", "review"),
    ("未经复议直接起诉", "litigation_direct"),
    ("复议后起诉", "litigation_after_review"),
]
REVIEW_PARTS = [("upheld", "维持"), ("corrected", "纠正"), ("other", "其他结果"), ("pending", "尚未审结")]
# The table's fifteen cells in order: each group's four parts, then its 总计
REVIEW_METRICS = [f"{prefix}_{part}" for _, prefix in REVIEW_GROUPS for part in [p for p, _ in REVIEW_PARTS] + ["total"]]
