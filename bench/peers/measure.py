#!/usr/bin/python3
"""Runs one load client as a child process and appends one normalised JSON record to a .jsonl file.

What it measures itself, the same way for every client:
  - the client's CPU (user + system) and peak RSS, from os.wait4() on the child: that covers the
    process and every descendant it waited for (RUSAGE_CHILDREN semantics), startup included;
  - optionally a long-running mock's CPU and memory high-water mark over the run, from /proc/PID.
What it reads from the client (--kind): request/token counts, measured window and TTFT/latency
percentiles, from llmbench's report.json or the JSON summary line the peer clients print.

The child is killed (SIGTERM, then SIGKILL) after --timeout seconds; the record then says timed_out.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_cpu_s(pid):
    """CPU time of a live process, seconds; None when it is gone.

    Sums the per-thread run time in ns from /proc/PID/task/*/schedstat: /proc/PID/stat counts clock
    ticks (10 ms), too coarse for a mock's cost per token. The mocks' threads live as long as the
    process, so no exited thread's time is lost between the two samples.
    """
    total_ns = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    total_ns += int(f.read().split()[0])
            except FileNotFoundError:
                continue  # the thread ended between listdir and open
        return total_ns / 1e9
    except (OSError, IndexError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return None


def proc_status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def parse_llmbench(out_dir, _stdout):
    with open(os.path.join(out_dir, "report.json")) as f:
        report = json.load(f)
    step = report["scenarios"][0]["steps"][0]
    counts = step["counts"]
    ttft = step["summary"].get("ttft_ms") or {}
    e2e = step["summary"].get("e2e_ms") or {}
    return {
        "requests": counts["total"], "ok": counts["ok"], "failed": counts["failed"],
        "output_tokens": counts["output_tokens"], "duration_s": step["timing"]["duration_s"],
        "ttft_p50_ms": ttft.get("p50"), "ttft_p99_ms": ttft.get("p99"),
        "e2e_p50_ms": e2e.get("p50"), "e2e_p99_ms": e2e.get("p99"),
        "build_flavor": report["environment"].get("build_flavor", ""),
    }


def parse_summary_line(_out_dir, stdout):
    """The peer clients' (and wrk_chat.lua's) one-line JSON summary: the last line starting with '{'."""
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise ValueError("no JSON summary line on stdout")
    s = json.loads(lines[-1])
    ttft = s.get("ttft_ms") or {}
    e2e = s.get("e2e_ms") or {}
    requests = s["requests"]
    failed = s["failed"]
    return {
        "requests": requests, "ok": s.get("ok", requests - failed), "failed": failed,
        "output_tokens": s.get("output_tokens"), "duration_s": s["duration_s"],
        "ttft_p50_ms": ttft.get("p50"), "ttft_p99_ms": ttft.get("p99"),
        "e2e_p50_ms": e2e.get("p50"), "e2e_p99_ms": e2e.get("p99"),
        "cpu_s_in_window": s.get("cpu_s_in_window"),
    }


PARSERS = {"llmbench": parse_llmbench, "summary": parse_summary_line}


def run_child(cmd, timeout_s, stdout_path, stderr_path):
    """Runs cmd in its own process group; returns (exit code, timed_out, rusage of the child).

    On KeyboardInterrupt (SIGINT, or SIGTERM mapped to it in main) the child's group is killed and
    reaped before the exception propagates, so no client outlives its measurement.
    """
    with open(stdout_path, "w") as out, open(stderr_path, "w") as err:
        child = subprocess.Popen(cmd, stdout=out, stderr=err, start_new_session=True)
    timed_out = threading.Event()

    def kill(sig):
        if sig == signal.SIGTERM:
            timed_out.set()
        try:
            os.killpg(child.pid, sig)
        except ProcessLookupError:
            pass

    # Daemon timers: a pending one must never keep this process alive.
    term = threading.Timer(timeout_s, kill, (signal.SIGTERM,))
    hard = threading.Timer(timeout_s + 5.0, kill, (signal.SIGKILL,))
    term.daemon = hard.daemon = True
    try:
        term.start()
        hard.start()
        _, status, usage = os.wait4(child.pid, 0)
    except KeyboardInterrupt:
        # The child has its own session, so a Ctrl-C does not reach it: stop it before leaving.
        kill(signal.SIGKILL)
        os.wait4(child.pid, 0)
        raise
    finally:
        term.cancel()
        hard.cancel()
    return os.waitstatus_to_exitcode(status), timed_out.is_set(), usage


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--record", required=True, help=".jsonl file to append the record to")
    p.add_argument("--kind", required=True, choices=sorted(PARSERS))
    p.add_argument("--out-dir", required=True, help="where the client's stdout/stderr (and report) go")
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--mock-pid", type=int, default=0, help="long-running mock to sample over the run")
    p.add_argument("--field", action="append", default=[], metavar="KEY=VALUE",
                   help="copied into the record (table, client, mode, op, concurrency, mock, ...)")
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    args = p.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        p.error("missing the command to run after --")

    record = {}
    for kv in args.field:
        key, sep, value = kv.partition("=")
        if not sep:
            p.error(f"--field {kv!r}: expected KEY=VALUE")
        try:
            record[key] = json.loads(value)
        except ValueError:
            record[key] = value

    signal.signal(signal.SIGTERM, signal.default_int_handler)
    os.makedirs(args.out_dir, exist_ok=True)
    stdout_path = os.path.join(args.out_dir, "stdout.txt")
    stderr_path = os.path.join(args.out_dir, "stderr.txt")
    mock_cpu0 = proc_cpu_s(args.mock_pid) if args.mock_pid else None
    wall0 = time.monotonic()
    try:
        rc, timed_out, usage = run_child(cmd, args.timeout, stdout_path, stderr_path)
    except KeyboardInterrupt:
        print(f"  {record.get('label', cmd[0])}: interrupted", file=sys.stderr)
        return 130
    record["wall_s"] = time.monotonic() - wall0
    record["rc"] = rc
    record["timed_out"] = timed_out
    record["cpu_s"] = usage.ru_utime + usage.ru_stime
    record["maxrss_kb"] = usage.ru_maxrss
    if args.mock_pid:
        mock_cpu1 = proc_cpu_s(args.mock_pid)
        record["mock_cpu_s"] = (mock_cpu1 - mock_cpu0) if None not in (mock_cpu0, mock_cpu1) else None
        record["mock_hwm_kb"] = proc_status_kb(args.mock_pid, "VmHWM")

    with open(stdout_path) as f:
        stdout = f.read()
    try:
        record.update(PARSERS[args.kind](args.out_dir, stdout))
        record["parse_error"] = ""
    except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
        record["parse_error"] = f"{type(e).__name__}: {e}"

    with open(args.record, "a") as f:
        f.write(json.dumps(record) + "\n")
    status = "timed out" if timed_out else f"rc={rc}"
    problem = f", {record['parse_error']}" if record["parse_error"] else ""
    print(f"  {record.get('label', ' '.join(cmd[:2]))}: {status}, {record['wall_s']:.1f} s{problem}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
