#!/usr/bin/python3
"""Renders the side-by-side ratio tables from the records measure.py wrote (a pure function of them).

Every cell is a ratio, never a bare absolute time: clients against llmbench coroutine on the same
workload, mocks against llmbench's asio mock at the same concurrency, throughput also against the
ideal closed-loop rate C / (TTFT + (N-1)·ITL). The absolute figures stay in the .jsonl file.

Usage: tables.py RECORDS.jsonl   (prints Markdown on stdout)
"""
import json
import sys

BASELINE_CLIENT = ("llmbench", "coroutine")
CLIENT_ORDER = [("llmbench", "coroutine"), ("llmbench", "threaded"), ("llmbench", "sync"), ("wrk", ""),
                ("aiohttp", ""), ("openai-node", "")]
MOCK_ORDER = ["asio", "httplib", "fastapi"]


def ratio(value, base):
    if value is None or base is None or base <= 0 or value < 0:
        return None
    return value / base


def fmt_ratio(r):
    if r is None:
        return "n/a"
    if r >= 100:
        return f"{r:.0f}×"
    if r >= 10:
        return f"{r:.1f}×"
    return f"{r:.2f}×"


def ideal_rps(rec):
    latency_s = (rec["cfg_ttft_ms"] + max(0, rec["cfg_tokens"] - 1) * rec["cfg_itl_ms"]) / 1000.0
    return rec["concurrency"] / latency_s if latency_s > 0 else None


def rps(rec):
    return rec["ok"] / rec["duration_s"] if rec.get("duration_s") else None


def ttft_error(rec, pct):
    v = rec.get(f"ttft_{pct}_ms")
    return None if v is None else max(0.0, v - rec["cfg_ttft_ms"])


def net_cpu(rec, startups):
    """Client CPU minus the same client's CPU for a one-request run: the start-up cost is not per request."""
    base = startups.get((rec["client"], rec.get("mode", ""), rec["op"]))
    cpu = rec["cpu_s"]
    if base is not None and base["rc"] == 0:
        cpu = max(0.0, cpu - base["cpu_s"])
    return cpu


def usable(rec):
    return rec["rc"] in (0, 1) and not rec["timed_out"] and not rec.get("parse_error") and rec.get("ok")


def name(rec):
    return f"{rec['client']} {rec['mode']}" if rec.get("mode") else rec["client"]


def notes_for(recs):
    notes = []
    for rec in recs:
        problems = []
        if rec["timed_out"]:
            problems.append("timed out (partial or no result)")
        if rec.get("parse_error"):
            problems.append(f"no result: {rec['parse_error']}")
        elif rec.get("failed"):
            problems.append(f"{rec['failed']} of {rec['requests']} requests failed")
        if rec["rc"] not in (0, 1):
            problems.append(f"exit code {rec['rc']}")
        if problems:
            notes.append(f"- {rec.get('label', name(rec))}: " + "; ".join(problems))
    return notes


def client_table(recs, startups, streaming):
    by_key = {(r["client"], r.get("mode", "")): r for r in recs}
    base = by_key.get(BASELINE_CLIENT)
    if base is None or not usable(base):
        return ["(no usable llmbench coroutine run: nothing to compare against)"]
    b_rps, b_cpu = rps(base), net_cpu(base, startups)
    b_req = b_cpu / base["ok"]
    b_tok = b_cpu / base["output_tokens"] if base.get("output_tokens") else None
    if streaming:
        head = ["client", "ok/total", "req/s ×", "vs ideal C/L", "CPU/req ×", "CPU/token ×", "TTFT err p50 ×",
                "TTFT err p99 ×", "peak RSS ×"]
    else:
        head = ["client", "ok/total", "req/s ×", "CPU/req ×", "latency p50 ×", "latency p99 ×", "peak RSS ×"]
    rows = []
    for key in CLIENT_ORDER:
        rec = by_key.get(key)
        if rec is None:
            continue
        label = name(rec)
        if rec["concurrency"] != base["concurrency"]:
            label += f" (C={rec['concurrency']})"
        if not usable(rec):
            rows.append([label, f"{rec.get('ok', 0)}/{rec.get('requests', rec['requests_asked'])}"] +
                        ["n/a"] * (len(head) - 2))
            continue
        # Throughput and latency only compare at the same concurrency (sync mode runs at C=1).
        same_c = rec["concurrency"] == base["concurrency"]
        cpu = net_cpu(rec, startups)
        row = [label, f"{rec['ok']}/{rec['requests']}", fmt_ratio(ratio(rps(rec), b_rps)) if same_c else "n/a"]
        if streaming:
            tok = cpu / rec["output_tokens"] if rec.get("output_tokens") else None
            row += [f"{100 * ratio(rps(rec), ideal_rps(rec)):.1f} %" if ideal_rps(rec) else "n/a",
                    fmt_ratio(ratio(cpu / rec["ok"], b_req)), fmt_ratio(ratio(tok, b_tok)),
                    fmt_ratio(ratio(ttft_error(rec, "p50"), ttft_error(base, "p50"))),
                    fmt_ratio(ratio(ttft_error(rec, "p99"), ttft_error(base, "p99")))]
        else:
            row += [fmt_ratio(ratio(cpu / rec["ok"], b_req))]
            row += [fmt_ratio(ratio(rec.get(f"e2e_{p}_ms"), base.get(f"e2e_{p}_ms"))) if same_c else "n/a"
                    for p in ("p50", "p99")]
        row.append(fmt_ratio(ratio(rec["maxrss_kb"], base["maxrss_kb"])))
        rows.append(row)
    return markdown(head, rows) + notes_for(recs)


def mock_table(recs):
    head = ["concurrency", "mock", "ok/total", "req/s ×", "TTFT err p99 ×", "mock CPU/token ×",
            "mock peak RSS ×"]
    rows = []
    for c in sorted({r["concurrency"] for r in recs}):
        at_c = {r["mock"]: r for r in recs if r["concurrency"] == c}
        base = at_c.get("asio")
        base_ok = base is not None and usable(base)
        for mock in MOCK_ORDER:
            rec = at_c.get(mock)
            if rec is None:
                continue
            if not usable(rec):
                rows.append([str(c), mock, f"{rec.get('ok', 0)}/{rec.get('requests', rec['requests_asked'])}"] +
                            ["n/a"] * 4)
                continue
            cpu_tok = rec["mock_cpu_s"] / rec["output_tokens"] if rec.get("output_tokens") and \
                rec.get("mock_cpu_s") is not None else None
            b_cpu_tok = base["mock_cpu_s"] / base["output_tokens"] if base_ok and base.get("output_tokens") and \
                base.get("mock_cpu_s") is not None else None
            rows.append([str(c), mock, f"{rec['ok']}/{rec['requests']}",
                         fmt_ratio(ratio(rps(rec), rps(base) if base_ok else None)),
                         fmt_ratio(ratio(ttft_error(rec, "p99"), ttft_error(base, "p99") if base_ok else None)),
                         fmt_ratio(ratio(cpu_tok, b_cpu_tok)),
                         fmt_ratio(ratio(rec.get("mock_hwm_kb"), base.get("mock_hwm_kb") if base_ok else None))])
    return markdown(head, rows) + notes_for(recs)


def markdown(head, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    return [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [line(r) for r in rows]


def render(records):
    startups = {(r["client"], r.get("mode", ""), r["op"]): r for r in records if r["table"] == "startup"}
    out = []
    stream = [r for r in records if r["table"] == "clients-stream"]
    invoke = [r for r in records if r["table"] == "clients-invoke"]
    mocks = [r for r in records if r["table"] == "mocks"]
    if stream:
        r0 = stream[0]
        out += [f"### Clients, streaming: C={r0['concurrency']}, {r0['requests_asked']} requests, mock "
                f"{r0['mock']} (TTFT {r0['cfg_ttft_ms']:g} ms, ITL {r0['cfg_itl_ms']:g} ms, "
                f"{r0['cfg_tokens']} tokens); ratios to llmbench coroutine", ""]
        out += client_table(stream, startups, True) + [""]
    if invoke:
        r0 = invoke[0]
        out += [f"### Clients, non-streaming invoke: C={r0['concurrency']}, fast mock {r0['mock']} "
                f"(TTFT {r0['cfg_ttft_ms']:g} ms, ITL {r0['cfg_itl_ms']:g} ms); ratios to llmbench coroutine", ""]
        out += client_table(invoke, startups, False) + [""]
    if mocks:
        r0 = mocks[0]
        out += [f"### Mocks under the same load (llmbench coroutine stream, TTFT {r0['cfg_ttft_ms']:g} ms, "
                f"ITL {r0['cfg_itl_ms']:g} ms, {r0['cfg_tokens']} tokens); ratios to the asio mock at the "
                f"same concurrency", ""]
        out += mock_table(mocks) + [""]
    out += ["Ratios: higher is better for req/s and 'vs ideal'; lower is better for everything else. "
            "CPU is the client process's user+system time (os.wait4) minus a one-request run of the same "
            "client, divided by completed requests or output tokens. TTFT err = measured TTFT - configured."]
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    with open(sys.argv[1]) as f:
        records = [json.loads(line) for line in f if line.strip()]
    sys.stdout.write(render(records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
