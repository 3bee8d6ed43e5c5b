#!/usr/bin/env node
// A closed-loop load client built on the official `openai` npm package, the way a Node.js user
// would write one: `concurrency` async workers share a request counter, each awaits
// client.chat.completions.create() and iterates the stream. It measures per request TTFT (start to
// the first non-empty content delta, llmbench's definition), ITL and e2e, and prints one JSON
// summary on stdout. Loopback targets only.
import OpenAI from 'openai';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

// ~128 whitespace-separated words: the same order of prompt size as llmbench's default synthetic prompt.
const PROMPT = Array.from({ length: 128 }, (_, i) => `word${i % 97}`).join(' ');

function percentiles(valuesMs) {
  if (valuesMs.length === 0) return {};
  const s = Float64Array.from(valuesMs).sort();
  const rank = (p) => s[Math.min(s.length - 1, Math.max(0, Math.round((p / 100) * s.length + 0.5) - 1))];
  let sum = 0;
  for (const v of s) sum += v;
  return { count: s.length, mean: sum / s.length, p50: rank(50), p90: rank(90), p99: rank(99), max: s[s.length - 1] };
}

function usage() {
  console.error('usage: openai_node_client.mjs --target URL [--model M] [--op stream|invoke] ' +
                '[--concurrency N] [--requests R] [--max-tokens T] [--timeout SECONDS]');
  process.exit(2);
}

const { values: opts } = parseArgs({
  options: {
    target: { type: 'string' },
    model: { type: 'string', default: 'mock-model' },
    op: { type: 'string', default: 'stream' },
    concurrency: { type: 'string', default: '8' },
    requests: { type: 'string', default: '100' },
    'max-tokens': { type: 'string', default: '0' },
    timeout: { type: 'string', default: '60' },
  },
});
const concurrency = Number.parseInt(opts.concurrency, 10);
const requests = Number.parseInt(opts.requests, 10);
const maxTokens = Number.parseInt(opts['max-tokens'], 10);
const timeoutS = Number.parseFloat(opts.timeout);
if (!opts.target || !(concurrency >= 1) || !(requests >= 1) || !['stream', 'invoke'].includes(opts.op)) usage();
const host = new URL(opts.target).hostname;
if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
  console.error(`openai_node_client.mjs: --target ${opts.target}: only loopback targets are allowed`);
  process.exit(2);
}

const client = new OpenAI({
  baseURL: opts.target.replace(/\/+$/, '') + '/v1',
  apiKey: 'not-used-by-the-mock',
  maxRetries: 0,
  timeout: timeoutS * 1000,
});
const body = { model: opts.model, messages: [{ role: 'user', content: PROMPT }] };
if (maxTokens > 0) body.max_tokens = maxTokens;

async function streamOne() {
  const r = { ok: false, error: '', ttft: 0, itl: [], e2e: 0, outputTokens: 0 };
  const start = performance.now();
  let last = start;
  let contentChunks = 0;
  let usageTokens = null;
  const stream = await client.chat.completions.create({
    ...body, stream: true, stream_options: { include_usage: true },
  });
  for await (const chunk of stream) {
    const content = chunk.choices?.[0]?.delta?.content;
    if (content) {
      const now = performance.now();
      if (contentChunks === 0) r.ttft = now - start;
      else r.itl.push(now - last);
      last = now;
      contentChunks += 1;
    }
    if (chunk.usage) usageTokens = chunk.usage.completion_tokens;
  }
  r.e2e = performance.now() - start;
  r.outputTokens = usageTokens ?? contentChunks;
  r.ok = contentChunks > 0;
  if (!r.ok) r.error = 'empty';
  return r;
}

async function invokeOne() {
  const start = performance.now();
  const completion = await client.chat.completions.create(body);
  const e2e = performance.now() - start;
  return { ok: true, error: '', ttft: e2e, itl: [], e2e, outputTokens: completion.usage?.completion_tokens ?? 0 };
}

const one = opts.op === 'stream' ? streamOne : invokeOne;
const results = [];
let issued = 0;
async function worker() {
  while (issued < requests) {
    issued += 1;
    try {
      results.push(await one());
    } catch (e) {
      const status = e?.status ? `http_${e.status}` : (e?.constructor?.name ?? 'Error');
      results.push({ ok: false, error: status, ttft: 0, itl: [], e2e: 0, outputTokens: 0 });
    }
  }
}

const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const durationS = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);

const ok = results.filter((r) => r.ok);
const errors = {};
for (const r of results) if (!r.ok) errors[r.error] = (errors[r.error] ?? 0) + 1;
const summary = {
  client: 'openai-node',
  op: opts.op,
  concurrency,
  requests: results.length,
  ok: ok.length,
  failed: results.length - ok.length,
  errors,
  output_tokens: ok.reduce((n, r) => n + r.outputTokens, 0),
  duration_s: durationS,
  cpu_s_in_window: (cpu.user + cpu.system) / 1e6,
  ttft_ms: percentiles(ok.map((r) => r.ttft)),
  itl_ms: percentiles(ok.flatMap((r) => r.itl)),
  e2e_ms: percentiles(ok.map((r) => r.e2e)),
};
process.stdout.write(JSON.stringify(summary) + '\n');
process.exitCode = summary.failed === 0 ? 0 : 1;
