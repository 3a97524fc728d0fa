"""The `openai` backend (llama-index's OpenAILike) against a small OpenAI-compatible server on loopback.

The server speaks the wire format of llama.cpp's server: /models, chat completions as JSON or as
server-sent events ending in [DONE]. It records what it was sent, so the request (greedy, the
caller's max_tokens, the API key) is checked as well as the reply. The real model behind a real
server is tests/test_llm.py::test_openai_backend_against_loopback_server (-m slow).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from qa.backends.llm import LLMUnavailable, get_llm
from qa.settings import Settings

KEY = "sk-test-key"
REPLY = ["外交部", "将继续", "完善平台", "[1]。"]


class FakeServer(BaseHTTPRequestHandler):
    requests: list[dict] = []
    mode = "ok"  # ok / fail (500 on chat)

    def log_message(self, *args):
        pass

    def _refuse(self) -> bool:
        if self.headers.get("Authorization") != f"Bearer {KEY}":
            self._json(401, {"error": {"message": "bad key"}})
            return True
        return False

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if not self._refuse():
            self._json(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        type(self).requests.append(body)
        if self._refuse():
            return
        if type(self).mode == "fail":
            return self._json(500, {"error": {"message": "model crashed"}})
        if not body.get("stream"):
            message = {"role": "assistant", "content": "".join(REPLY)}
            return self._json(200, {"id": "c1", "object": "chat.completion", "created": 0, "model": "fake",
                                    "choices": [{"index": 0, "message": message, "finish_reason": "stop"}]})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for piece in REPLY:
            chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "fake",
                     "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
            time.sleep(0.05)
        self.wfile.write(b"data: [DONE]\n\n")


@pytest.fixture
def server():
    FakeServer.requests, FakeServer.mode = [], "ok"
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeServer)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/v1"
    httpd.shutdown()


def settings_for(url: str, key: str = KEY) -> Settings:
    return Settings(llm="openai", openai_base_url=url, openai_api_key=key, openai_model="fake", llm_max_tokens=50)


MESSAGES = [{"role": "system", "content": "只根据来源回答。"}, {"role": "user", "content": "外交部2014年有哪些改进措施？"}]


def test_openai_backend_streams_and_completes_through_openai_like(server):
    from llama_index.llms.openai_like import OpenAILike

    llm = get_llm(settings_for(server))
    assert llm.name == "openai" and llm.model == "fake"
    assert isinstance(llm._llm, OpenAILike)  # the maintained client, not hand-parsed events
    pieces = list(llm.stream(MESSAGES, max_tokens=30))
    assert pieces == REPLY
    assert llm.complete(MESSAGES) == "".join(REPLY)
    streamed, whole = FakeServer.requests[-2:]
    assert streamed["stream"] is True and streamed["max_tokens"] == 30  # the caller's budget wins
    assert whole["max_tokens"] == 50 and whole["temperature"] == 0.0 and whole["seed"] == 42
    assert streamed["messages"] == MESSAGES and streamed["model"] == "fake"


def test_openai_backend_refused_key_and_server_error_are_llm_unavailable(server):
    with pytest.raises(LLMUnavailable, match="refused the API key"):
        get_llm(settings_for(server, key="sk-wrong"))
    from qa.backends.llm import OpenAICompatibleLLM  # the old import path, re-exported

    llm = OpenAICompatibleLLM(server, "fake", KEY, max_retries=0)  # no backoff on the 500s below
    FakeServer.mode = "fail"
    with pytest.raises(LLMUnavailable, match="500"):
        list(llm.stream(MESSAGES))
    with pytest.raises(LLMUnavailable, match="500"):
        llm.complete(MESSAGES)


def test_stopping_a_stream_early_closes_it(server):
    llm = get_llm(settings_for(server))
    pieces = llm.stream(MESSAGES)
    assert next(pieces) == REPLY[0]
    started = time.monotonic()
    pieces.close()  # what generate.stream_reply does at a deadline or on Ctrl-C
    assert time.monotonic() - started < 0.5
