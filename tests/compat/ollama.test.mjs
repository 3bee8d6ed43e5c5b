// The `ollama` npm client, unchanged, against the mock's /api/chat and /api/generate.
// The package is optional: if it is not installed, only this file skips, saying why.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { MOCK_OUTPUT_TOKENS, loadPackage, startMock } from './mock_process.mjs';

const ollamaModule = await loadPackage('ollama', { optional: true });
const skip = ollamaModule
  ? false
  : "npm package 'ollama' is not installed in tests/compat/node_modules: Ollama client checks skipped";
if (skip) console.log(`# ${skip}`);

const MODEL = 'mock-model';
const MESSAGES = [{ role: 'user', content: 'Say something about load testing.' }];
const SEED = 42;

let mock;
let client;

before(async () => {
  if (skip) return;
  mock = await startMock();
  client = new ollamaModule.Ollama({ host: mock.url });
});

after(async () => {
  await mock?.stop();
});

describe('ollama client', { skip }, () => {
  test('chat non-streaming returns the message and final counts', async () => {
    const response = await client.chat({ model: MODEL, messages: MESSAGES, stream: false, options: { seed: SEED } });
    assert.equal(response.done, true);
    assert.equal(response.done_reason, 'stop');
    assert.equal(response.message.role, 'assistant');
    assert.ok(response.message.content.length > 0);
    assert.equal(response.eval_count, MOCK_OUTPUT_TOKENS);
    assert.ok(response.prompt_eval_count > 0);
    assert.ok(response.total_duration >= response.eval_duration, 'durations are nanoseconds, total covers eval');
    // TTFT 20 ms + 15 × 2 ms ITL, in ns: a generous lower bound that fails if units were ms or µs.
    assert.ok(response.total_duration >= 40e6, `total_duration ${response.total_duration} ns`);
  });

  test('chat streaming: parts concatenate to the non-streamed content, last part carries counts', async () => {
    const reference = await client.chat({ model: MODEL, messages: MESSAGES, stream: false, options: { seed: SEED } });
    const parts = [];
    for await (const part of await client.chat({ model: MODEL, messages: MESSAGES, stream: true, options: { seed: SEED } })) {
      parts.push(part);
    }
    assert.ok(parts.length > 1, `only ${parts.length} parts`);
    assert.ok(parts.slice(0, -1).every((part) => part.done === false));
    const last = parts.at(-1);
    assert.equal(last.done, true);
    assert.equal(last.done_reason, 'stop');
    assert.equal(last.eval_count, MOCK_OUTPUT_TOKENS);
    assert.equal(last.prompt_eval_count, reference.prompt_eval_count);
    assert.equal(parts.map((part) => part.message.content).join(''), reference.message.content);
  });

  test('chat num_predict caps the output with done_reason length', async () => {
    const response = await client.chat({ model: MODEL, messages: MESSAGES, stream: false, options: { num_predict: 4 } });
    assert.equal(response.done_reason, 'length');
    assert.equal(response.eval_count, 4);
  });

  test('generate streaming concatenates to the non-streamed response', async () => {
    const request = { model: MODEL, prompt: 'Once upon a time', options: { seed: SEED } };
    const reference = await client.generate({ ...request, stream: false });
    assert.equal(reference.done, true);
    assert.ok(reference.response.length > 0);
    const parts = [];
    for await (const part of await client.generate({ ...request, stream: true })) parts.push(part);
    assert.equal(parts.map((part) => part.response).join(''), reference.response);
    assert.equal(parts.at(-1).eval_count, MOCK_OUTPUT_TOKENS);
  });

  test('a mid-stream error line raises during iteration', async () => {
    const faulty = new ollamaModule.Ollama({ host: mock.url, headers: { 'x-mock-fault': 'stream_error' } });
    const received = [];
    const error = await (async () => {
      for await (const part of await faulty.chat({ model: MODEL, messages: MESSAGES, stream: true })) received.push(part);
    })().then(
      () => assert.fail('the stream ended without an error'),
      (caught) => caught,
    );
    assert.ok(error instanceof Error);
    assert.match(error.message, /stream_error/);
    assert.ok(received.length > 0, 'the error came before any part');
    assert.ok(received.every((part) => part.done === false));
  });

  test('list returns the configured model from /api/tags', async () => {
    const { models } = await client.list();
    assert.ok(models.some((model) => model.name === MODEL || model.model === MODEL), JSON.stringify(models));
  });
});
