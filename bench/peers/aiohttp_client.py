#!/usr/bin/python3
"""A closed-loop OpenAI chat-completions load client in the style of vLLM's serving benchmark.

Like `vllm bench serve` with --max-concurrency: every request is a task created up front, an
asyncio.Semaphore caps how many are in flight, one aiohttp.ClientSession (keep-alive pool) carries
them all, and the SSE body is read line by line with the JSON decoded per chunk. It measures per
request TTFT (start to the first non-empty content delta, the definition llmbench uses), ITL (gaps
between content chunks) and e2e, and prints one JSON summary on stdout.

Run it with Debian's /usr/bin/python3 (python3-aiohttp). Loopback targets only.
"""
import argparse
import asyncio
import json
import sys
import time
from urllib.parse import urlparse

import aiohttp

# ~128 whitespace-separated words: the same order of prompt size as llmbench's default synthetic prompt.
PROMPT = " ".join(f"word{i % 97}" for i in range(128))


def percentiles(values):
    """Nearest-rank percentiles in ms of a list of seconds; empty dict when nothing was measured."""
    if not values:
        return {}
    s = sorted(values)

    def rank(p):
        return s[min(len(s) - 1, max(0, int(round(p / 100.0 * len(s) + 0.5)) - 1))] * 1000.0

    return {"count": len(s), "mean": sum(s) / len(s) * 1000.0, "p50": rank(50), "p90": rank(90),
            "p99": rank(99), "max": s[-1] * 1000.0}


class Result:
    __slots__ = ("ok", "error", "ttft", "itl", "e2e", "output_tokens")

    def __init__(self):
        self.ok = False
        self.error = ""
        self.ttft = 0.0
        self.itl = []
        self.e2e = 0.0
        self.output_tokens = 0


async def stream_request(session, url, payload):
    r = Result()
    start = time.perf_counter()
    last = start
    content_chunks = 0
    usage_tokens = None
    try:
        async with session.post(url, json=payload) as response:
            if response.status != 200:
                r.error = f"http_{response.status}"
                await response.read()
                return r
            async for raw in response.content:
                line = raw.strip()
                if not line:
                    continue
                text = line.decode("utf-8")
                if not text.startswith("data:"):
                    continue
                data = text[5:].strip()
                if data == "[DONE]":
                    break
                chunk = json.loads(data)
                if "error" in chunk:
                    r.error = "stream_error"
                    return r
                choices = chunk.get("choices")
                if choices:
                    content = choices[0].get("delta", {}).get("content")
                    if content:
                        now = time.perf_counter()
                        if content_chunks == 0:
                            r.ttft = now - start
                        else:
                            r.itl.append(now - last)
                        last = now
                        content_chunks += 1
                usage = chunk.get("usage")
                if usage:
                    usage_tokens = usage.get("completion_tokens")
        r.e2e = time.perf_counter() - start
        r.output_tokens = usage_tokens if usage_tokens is not None else content_chunks
        r.ok = content_chunks > 0
        if not r.ok:
            r.error = "empty"
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as e:
        r.error = type(e).__name__
    return r


async def invoke_request(session, url, payload):
    r = Result()
    start = time.perf_counter()
    try:
        async with session.post(url, json=payload) as response:
            body = await response.read()
            if response.status != 200:
                r.error = f"http_{response.status}"
                return r
            doc = json.loads(body)
        r.e2e = time.perf_counter() - start
        r.ttft = r.e2e  # the whole answer arrives at once
        r.output_tokens = doc.get("usage", {}).get("completion_tokens", 0)
        r.ok = True
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as e:
        r.error = type(e).__name__
    return r


async def run(args):
    base = args.target.rstrip("/")
    host = urlparse(base).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"aiohttp_client.py: --target {args.target}: only loopback targets are allowed")
    url = base + "/v1/chat/completions"
    payload = {"model": args.model, "messages": [{"role": "user", "content": PROMPT}]}
    if args.max_tokens:
        payload["max_tokens"] = args.max_tokens
    if args.op == "stream":
        payload["stream"] = True
        payload["stream_options"] = {"include_usage": True}
        request = stream_request
    else:
        request = invoke_request

    semaphore = asyncio.Semaphore(args.concurrency)
    timeout = aiohttp.ClientTimeout(total=args.timeout)
    # vLLM's connector: the pool is as large as the concurrency, connections are kept alive.
    connector = aiohttp.TCPConnector(limit=args.concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def limited():
            async with semaphore:
                return await request(session, url, payload)

        cpu0 = time.process_time()
        t0 = time.perf_counter()
        results = await asyncio.gather(*(limited() for _ in range(args.requests)))
        duration = time.perf_counter() - t0
        cpu = time.process_time() - cpu0

    ok = [r for r in results if r.ok]
    errors = {}
    for r in results:
        if not r.ok:
            errors[r.error] = errors.get(r.error, 0) + 1
    itl = [g for r in ok for g in r.itl]
    return {
        "client": "aiohttp",
        "op": args.op,
        "concurrency": args.concurrency,
        "requests": len(results),
        "ok": len(ok),
        "failed": len(results) - len(ok),
        "errors": errors,
        "output_tokens": sum(r.output_tokens for r in ok),
        "duration_s": duration,
        "cpu_s_in_window": cpu,
        "ttft_ms": percentiles([r.ttft for r in ok]),
        "itl_ms": percentiles(itl),
        "e2e_ms": percentiles([r.e2e for r in ok]),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--target", required=True, help="base URL, e.g. http://127.0.0.1:8000")
    p.add_argument("--model", default="mock-model")
    p.add_argument("--op", choices=("stream", "invoke"), default="stream")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--requests", type=int, default=100)
    p.add_argument("--max-tokens", type=int, default=0)
    p.add_argument("--timeout", type=float, default=60.0, help="per request, seconds")
    args = p.parse_args()
    if args.concurrency < 1 or args.requests < 1:
        raise SystemExit("aiohttp_client.py: --concurrency and --requests must be >= 1")
    summary = asyncio.run(run(args))
    json.dump(summary, sys.stdout)
    sys.stdout.write("\n")
    return 0 if summary["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
