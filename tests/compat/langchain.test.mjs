// LangChain.js ChatOpenAI (@langchain/openai), unchanged, against `llmbench mock`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { MOCK_OUTPUT_TOKENS, loadPackage, recordingFetch, startMock } from './mock_process.mjs';

const { ChatOpenAI } = await loadPackage('@langchain/openai');
const { AIMessage, AIMessageChunk, ChatMessageChunk } = await loadPackage('@langchain/core/messages');
const { concat } = await loadPackage('@langchain/core/utils/stream');

const MODEL = 'mock-model';
const PROMPT = 'Say something about load testing.';
const SEED = 42;

let mock;

before(async () => {
  mock = await startMock();
});

after(async () => {
  await mock?.stop();
});

function chatModel({ maxRetries = 0, headers, fetch } = {}) {
  return new ChatOpenAI({
    model: MODEL,
    apiKey: 'test',
    maxRetries,
    timeout: 10_000,
    configuration: { baseURL: `${mock.url}/v1`, defaultHeaders: headers, fetch },
  });
}

describe('ChatOpenAI', () => {
  test('invoke returns an AI message with content and usage_metadata', async () => {
    const message = await chatModel().invoke(PROMPT, { seed: SEED });
    assert.ok(AIMessage.isInstance(message), `got ${message?.constructor?.name}`);
    assert.equal(typeof message.content, 'string');
    assert.ok(message.content.length > 0);
    assert.equal(message.response_metadata.finish_reason, 'stop');
    const usage = message.usage_metadata;
    assert.equal(usage.output_tokens, MOCK_OUTPUT_TOKENS);
    assert.ok(usage.input_tokens > 0);
    assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
  });

  test('batch of 4 with maxConcurrency 2 returns 4 results in input order', async () => {
    const recorder = recordingFetch();
    const model = chatModel({ fetch: recorder.fetch });
    // Earlier inputs are slower and each asks for a different length, so results that came back
    // in completion order, or mixed up, would not match.
    const lengths = [5, 6, 7, 8];
    const ttftMs = [150, 100, 50, 20];
    const configs = lengths.map((tokens, i) => ({
      maxConcurrency: 2,
      options: { headers: { 'x-mock-output-tokens': String(tokens), 'x-mock-ttft-ms': String(ttftMs[i]) } },
    }));
    const results = await model.batch(
      lengths.map((_, i) => `${PROMPT} (${i})`),
      configs,
    );
    assert.equal(results.length, 4);
    assert.deepEqual(
      results.map((message) => message.usage_metadata.output_tokens),
      lengths,
    );
    for (const message of results) assert.ok(AIMessage.isInstance(message));
    assert.equal(recorder.attempts.length, 4);
    assert.equal(recorder.maxInFlight(), 2, 'batch must keep a window of maxConcurrency requests');
  });

  test('stream yields AIMessageChunks that concatenate to the invoke content', async () => {
    const model = chatModel();
    const reference = await model.invoke(PROMPT, { seed: SEED });
    const chunks = [];
    for await (const chunk of await model.stream(PROMPT, { seed: SEED })) chunks.push(chunk);
    assert.ok(chunks.length > 1, `only ${chunks.length} chunks`);
    for (const chunk of chunks) {
      assert.ok(AIMessageChunk.isInstance(chunk), `got ${chunk?.constructor?.name} (the role must come first)`);
      assert.ok(!(chunk instanceof ChatMessageChunk));
    }
    const whole = chunks.reduce((sum, chunk) => concat(sum, chunk));
    assert.equal(whole.content, reference.content);
    // streamUsage is on by default, so stream_options.include_usage was sent and honoured.
    assert.equal(whole.usage_metadata.output_tokens, MOCK_OUTPUT_TOKENS);
    assert.equal(whole.usage_metadata.input_tokens, reference.usage_metadata.input_tokens);
  });
});

describe('ChatOpenAI rate limits', () => {
  test('a 429 surfaces as a rate-limit error when maxRetries is 0', async () => {
    const recorder = recordingFetch();
    const model = chatModel({ headers: { 'x-mock-fault': '429' }, fetch: recorder.fetch });
    const error = await model.invoke(PROMPT).then(
      () => assert.fail('the request succeeded'),
      (caught) => caught,
    );
    assert.equal(error.status, 429, `got ${error?.name}: ${error?.message}`);
    assert.equal(error.lc_error_code, 'MODEL_RATE_LIMIT');
    assert.match(error.message, /try again in/i);
    assert.equal(recorder.attempts.length, 1);
  });

  test('the retry hint makes a 429 retryable, waiting at least the hinted 1 s', async () => {
    const recorder = recordingFetch();
    const model = chatModel({ maxRetries: 1, headers: { 'x-mock-fault': '429' }, fetch: recorder.fetch });
    const error = await model.invoke(PROMPT).then(
      () => assert.fail('the request succeeded'),
      (caught) => caught,
    );
    assert.equal(error.status, 429);
    // LangChain retries a 429 only when retry-after or "try again in Ns" gives a delay <= 60 s.
    assert.equal(error.rateLimitType, 'wait', `rateLimitType ${error.rateLimitType}, reason ${error.rateLimitReason}`);
    assert.equal(error.retryAfterMs, 1000);
    assert.equal(recorder.attempts.length, 2, 'one try and one retry');
    const gapMs = recorder.attempts[1].startedMs - recorder.attempts[0].startedMs;
    assert.ok(gapMs >= 900, `retried after ${gapMs.toFixed(0)} ms`);
  });
});
