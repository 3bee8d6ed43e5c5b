// LangChain.js ChatAnthropic (@langchain/anthropic), unchanged, against `llmbench mock`'s
// /v1/messages: invoke and stream, usage metadata, and a rate-limit error.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { MOCK_OUTPUT_TOKENS, loadPackage, startMock } from './mock_process.mjs';

const { ChatAnthropic } = await loadPackage('@langchain/anthropic');
const { AIMessage, AIMessageChunk } = await loadPackage('@langchain/core/messages');
const { concat } = await loadPackage('@langchain/core/utils/stream');

const MODEL = 'mock-model';
const PROMPT = 'Say something about load testing.';

let mock;

before(async () => {
  mock = await startMock();
});

after(async () => {
  await mock?.stop();
});

function chatModel({ headers } = {}) {
  return new ChatAnthropic({
    model: MODEL,
    apiKey: 'test',
    anthropicApiUrl: mock.url,
    maxTokens: 100,
    maxRetries: 0,
    clientOptions: { defaultHeaders: headers, timeout: 10_000 },
  });
}

function textOf(content) {
  if (typeof content === 'string') return content;
  return content
    .filter((part) => part.type === 'text' || part.type === 'text_delta')
    .map((part) => part.text)
    .join('');
}

describe('ChatAnthropic', () => {
  test('invoke returns an AI message with text and usage_metadata', async () => {
    const message = await chatModel().invoke(PROMPT);
    assert.ok(AIMessage.isInstance(message), `got ${message?.constructor?.name}`);
    assert.equal(textOf(message.content).split(' ').length, MOCK_OUTPUT_TOKENS);
    assert.equal(message.response_metadata.stop_reason, 'end_turn');
    const usage = message.usage_metadata;
    assert.equal(usage.output_tokens, MOCK_OUTPUT_TOKENS);
    assert.ok(usage.input_tokens > 0);
    assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
  });

  test('stream yields AIMessageChunks whose concatenation is the whole answer, with usage', async () => {
    const chunks = [];
    for await (const chunk of await chatModel().stream(PROMPT)) chunks.push(chunk);
    assert.ok(chunks.length >= MOCK_OUTPUT_TOKENS, `only ${chunks.length} chunks`);
    for (const chunk of chunks) assert.ok(AIMessageChunk.isInstance(chunk), `got ${chunk?.constructor?.name}`);
    const whole = chunks.reduce((left, right) => concat(left, right));
    assert.equal(textOf(whole.content).split(' ').length, MOCK_OUTPUT_TOKENS);
    // LangChain adds message_start's placeholder output_tokens (1, as Anthropic sends it) to
    // message_delta's final count: against the real API its stream reports one token more too.
    assert.equal(whole.usage_metadata.output_tokens, MOCK_OUTPUT_TOKENS + 1);
    assert.ok(whole.usage_metadata.input_tokens > 0);
  });

  test('a 429 fault surfaces as a rate-limit error', async () => {
    await assert.rejects(chatModel({ headers: { 'x-mock-fault': '429' } }).invoke(PROMPT), (error) => {
      assert.equal(error.status, 429, String(error));
      assert.equal(error.error?.error?.type, 'rate_limit_error', String(error));
      return true;
    });
  });
});
