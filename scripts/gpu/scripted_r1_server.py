#!/usr/bin/env python3
"""A scripted OpenAI-compatible server that answers like DeepSeek-R1's endpoints, for end-to-end runs without a model.

    scripted_r1_server.py --script agent-script.json --port 8765 --log requests.jsonl

The script maps a problem key ("L1/19", as the harness's prompts write it: "(L1/19, 19_ReLU)") to the answers served to
that problem, in order: {"L1/19": [{"content": "...", "reasoning": "...", "style": "field" | "think"}, ...]}.
style "field" streams the reasoning as `reasoning_content` deltas (NIM, DeepSeek API); "think" inlines it as
<think>...</think> at the start of the content (vLLM/SGLang without a reasoning parser). Usage comes in the last chunk.
Every request body is appended to the log (one JSON line) so a caller can check what the harness sent back.
Stdlib only; ends on SIGTERM or SIGINT.
"""
import argparse
import json
import re
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY = re.compile(r"\((L\d+/\d+),")
PIECE = 48  # characters per streamed delta: small enough that <think> tags and code fences get split across chunks


class State:
    def __init__(self, script, log_path):
        self.script = script
        self.served = {}
        self.lock = threading.Lock()
        self.log = open(log_path, "a", encoding="utf-8")

    def next_answer(self, key):
        with self.lock:
            answers = self.script.get(key) or []
            i = self.served.get(key, 0)
            self.served[key] = i + 1
            # Past the end the last answer repeats: the harness's budget, not the script, ends the problem.
            return i, (answers[min(i, len(answers) - 1)] if answers else None)

    def record(self, entry):
        with self.lock:
            self.log.write(json.dumps(entry) + "\n")
            self.log.flush()


def problem_key(messages):
    for m in messages:
        if m.get("role") == "user":
            found = KEY.search(text_of(m.get("content")))
            if found:
                return found.group(1)
    return None


def text_of(content):
    if isinstance(content, list):  # content parts
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content or ""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, fmt, *args):  # keep stderr for errors only
        pass

    def do_GET(self):
        if self.path.rstrip("/").endswith("/models"):
            self.send_json(200, {"object": "list", "data": [{"id": "deepseek-r1-scripted", "object": "model", "owned_by": "kbh"}]})
        else:
            self.send_json(404, {"error": {"message": f"no route {self.path}"}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            self.send_json(400, {"error": {"message": "body is not JSON"}})
            return
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self.send_json(404, {"error": {"message": f"no route {self.path}"}})
            return
        key = problem_key(body.get("messages") or [])
        index, answer = self.state.next_answer(key) if key else (0, None)
        self.state.record({"time": time.time(), "problem": key, "answer_index": index,
                           "authorization": bool(self.headers.get("Authorization")), "body": body})
        if answer is None:
            self.send_json(400, {"error": {"message": f"the script has no answer for problem {key}"}})
            return
        reasoning, content = answer.get("reasoning", ""), answer["content"]
        style = answer.get("style", "field")
        if style == "think":
            content, reasoning = f"<think>\n{reasoning}\n</think>\n\n{content}", ""
        prompt_chars = sum(len(text_of(m.get("content"))) for m in body.get("messages") or [])
        usage = {"prompt_tokens": prompt_chars // 4, "completion_tokens": (len(reasoning) + len(content)) // 4}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        if body.get("stream"):
            self.stream(body.get("model", "deepseek-r1-scripted"), reasoning, content, usage)
        else:
            message = {"role": "assistant", "content": content}
            if reasoning:
                message["reasoning_content"] = reasoning
            self.send_json(200, {"id": "scripted", "object": "chat.completion", "created": int(time.time()),
                                 "model": body.get("model"), "usage": usage,
                                 "choices": [{"index": 0, "message": message, "finish_reason": "stop"}]})

    def stream(self, model, reasoning, content, usage):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        base = {"id": "scripted", "object": "chat.completion.chunk", "created": int(time.time()), "model": model}

        def chunk(choices, **extra):
            self.write_chunk("data: " + json.dumps(dict(base, choices=choices, **extra)) + "\n\n")

        chunk([{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
        for i in range(0, len(reasoning), PIECE):
            chunk([{"index": 0, "delta": {"reasoning_content": reasoning[i:i + PIECE], "content": None}, "finish_reason": None}])
        for i in range(0, len(content), PIECE):
            chunk([{"index": 0, "delta": {"content": content[i:i + PIECE]}, "finish_reason": None}])
        chunk([{"index": 0, "delta": {}, "finish_reason": "stop"}])
        chunk([], usage=usage)  # as with stream_options.include_usage: the last chunk, no choices
        self.write_chunk("data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def write_chunk(self, text):
        data = text.encode("utf-8")
        self.wfile.write(b"%X\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def send_json(self, code, obj):
        data = json.dumps(obj).encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--script", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    with open(args.script, encoding="utf-8") as f:
        Handler.state = State(json.load(f), args.log)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"scripted R1 server on http://127.0.0.1:{args.port}/v1", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()


if __name__ == "__main__":
    main()
