// A third-party OpenAI-compatible server nobody here wrote, @dwmkerr/mock-llm (npm), as a target
// llmbench must measure correctly (issue 15 item 6): it echoes the last user message, sends no
// `usage`, and streams the text in 50-character chunks. `llmbench run` against it, in every
// execution model, invoke and stream, must count every request ok, no errors, and output tokens
// estimated from the text (the same count streamed or not: the same prompts are echoed) and say
// that they are estimated.
//
// The server runs inside this test's process (its own createServer on an ephemeral port, so no
// port is guessed); llmbench runs as a child process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { llmbenchBinary, loadPackage } from './mock_process.mjs';

const compatDir = dirname(fileURLToPath(import.meta.url));
const REQUESTS = 4;
const PROMPT_TOKENS = 24; // synthetic prompts of 24 words: the echo has 24 words

let server;
let baseUrl;
const outDir = mkdtempSync(join(tmpdir(), 'llmbench-mock-llm-'));

before(async () => {
  await loadPackage('@dwmkerr/mock-llm/dist/server.js'); // fails with instructions when not installed
  const require = createRequire(join(compatDir, 'package.json'));
  const { createServer } = require('@dwmkerr/mock-llm/dist/server.js');
  const { getDefaultConfig } = require('@dwmkerr/mock-llm/dist/config.js');
  const config = getDefaultConfig();
  config.streaming = { chunkSize: 50, chunkIntervalMs: 2 }; // its chunking, a short interval
  const app = createServer(config, '127.0.0.1', 0);
  await new Promise((resolve, reject) => {
    server = app.listen(0, '127.0.0.1', resolve).on('error', reject);
  });
  baseUrl = `http://127.0.0.1:${server.address().port}`;
});

after(() => {
  server?.closeAllConnections?.();
  server?.close();
  rmSync(outDir, { recursive: true, force: true });
});

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(llmbenchBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function measure(mode, op) {
  const out = join(outDir, `${mode}-${op}`);
  const { code, output } = await run([
    'run', '-q', '--target', baseUrl, '--model', 'mock-llm', '--mode', mode, '--op', op,
    '--concurrency', mode === 'sync' ? '1' : '2', '--requests', String(REQUESTS),
    '--set', `prompts.distribution="${PROMPT_TOKENS}"`, '--out', out, '--format', 'json,md',
  ]);
  assert.equal(code, 0, output);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const markdown = readFileSync(join(out, 'report.md'), 'utf8');
  return { counts: report.scenarios[0].steps[0].counts, markdown };
}

for (const mode of ['sync', 'threaded', 'coroutine']) {
  test(`${mode}: invoke and stream against @dwmkerr/mock-llm are counted alike`, async () => {
    const tokens = {};
    for (const op of ['invoke', 'stream']) {
      const { counts, markdown } = await measure(mode, op);
      assert.equal(counts.ok, REQUESTS, `${op}: ${JSON.stringify(counts)}`);
      assert.equal(counts.failed, 0, `${op}: ${JSON.stringify(counts)}`);
      for (const [kind, n] of Object.entries(counts.errors)) assert.equal(n, 0, `${op}: ${kind} errors`);
      // No usage from this server: every request's counts are estimates, and the report says so.
      assert.equal(counts.estimated_usage, REQUESTS, `${op}: ${JSON.stringify(counts)}`);
      assert.match(markdown, /token counts estimated for \d+ of \d+ successful requests/);
      // The echo of a 24-word prompt is 24 words, whether it came whole or in 50-character chunks.
      assert.equal(counts.output_tokens, REQUESTS * PROMPT_TOKENS, `${op}: ${JSON.stringify(counts)}`);
      tokens[op] = counts.output_tokens;
    }
    assert.equal(tokens.stream, tokens.invoke);
  });
}
