#!/usr/bin/python3
"""A fake OpenAI chat-completions server written the way people write one by hand: FastAPI,
a StreamingResponse over an async generator, asyncio.sleep for the latency profile, one uvicorn
worker. It has the same latency model as `llmbench mock --ttft T --itl I --output-tokens N`
(first content token after T, each further token I later, so e2e = T + (N-1)·I) and the same
SSE framing (role chunk, content chunks, finish chunk, usage chunk, [DONE]).

Binds 127.0.0.1 only. With --port 0 it picks a free port and prints, as its first stdout line,
"fastapi mock listening on http://127.0.0.1:PORT" (the same shape as llmbench mock's line).
Run it with Debian's /usr/bin/python3 (python3-fastapi, python3-uvicorn).
"""
import argparse
import asyncio
import json
import re
import socket
import sys
import time

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

WORDS = ("mock", "quick", "that", "steady", "the", "by", "at", "token")


def parse_ms(text, flag):
    """'50ms', '0.05s', '50' (ms) -> seconds."""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(ms|s|us)?\s*", text)
    if not m:
        raise SystemExit(f"fastapi_mock.py: {flag} {text!r}: expected a duration such as 50ms")
    value = float(m.group(1))
    unit = m.group(2) or "ms"
    return value / {"s": 1.0, "ms": 1000.0, "us": 1e6}[unit]


def build_app(ttft_s, itl_s, output_tokens):
    app = FastAPI()
    counter = {"n": 0}

    def chunk(rid, created, model, choices, usage=None):
        doc = {"id": rid, "object": "chat.completion.chunk", "created": created, "model": model,
               "system_fingerprint": "fp_mock", "choices": choices}
        if usage is not None:
            doc["usage"] = usage
        return "data: " + json.dumps(doc, separators=(",", ":")) + "\n\n"

    @app.get("/v1/models")
    async def models():
        return {"object": "list", "data": [{"id": "mock-model", "object": "model", "owned_by": "mock"}]}

    @app.post("/v1/chat/completions")
    async def chat(request: Request):
        body = await request.json()
        model = body.get("model", "mock-model")
        n = output_tokens
        if body.get("max_tokens"):
            n = min(n, int(body["max_tokens"]))
        prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": n, "total_tokens": prompt_tokens + n}
        rid = f"chatcmpl-mock{counter['n']}"
        counter["n"] += 1
        created = int(time.time())

        if not body.get("stream"):
            await asyncio.sleep(ttft_s + max(0, n - 1) * itl_s)
            text = " ".join(WORDS[i % len(WORDS)] for i in range(n))
            return JSONResponse({
                "id": rid, "object": "chat.completion", "created": created, "model": model,
                "system_fingerprint": "fp_mock",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text, "refusal": None},
                             "logprobs": None, "finish_reason": "stop"}],
                "usage": usage})

        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))

        async def events():
            yield chunk(rid, created, model, [{"index": 0, "delta": {"role": "assistant", "content": "", "refusal": None},
                                               "logprobs": None, "finish_reason": None}])
            await asyncio.sleep(ttft_s)
            for i in range(n):
                if i:
                    await asyncio.sleep(itl_s)
                word = WORDS[i % len(WORDS)]
                yield chunk(rid, created, model, [{"index": 0, "delta": {"content": word if i == 0 else " " + word},
                                                   "logprobs": None, "finish_reason": None}])
            yield chunk(rid, created, model, [{"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}])
            if include_usage:
                yield chunk(rid, created, model, [], usage)
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"cache-control": "no-cache"})

    return app


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--ttft", default="50ms")
    p.add_argument("--itl", default="10ms")
    p.add_argument("--output-tokens", type=int, default=32)
    args = p.parse_args()
    if args.output_tokens < 1:
        raise SystemExit("fastapi_mock.py: --output-tokens must be >= 1")
    app = build_app(parse_ms(args.ttft, "--ttft"), parse_ms(args.itl, "--itl"), args.output_tokens)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(4096)
    print(f"fastapi mock listening on http://127.0.0.1:{sock.getsockname()[1]} (uvicorn, 1 worker)", flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False, backlog=4096)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
