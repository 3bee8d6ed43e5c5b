// The official `@anthropic-ai/sdk` npm SDK, unchanged, against `llmbench mock`'s /v1/messages.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { MOCK_OUTPUT_TOKENS, loadPackage, startMock } from './mock_process.mjs';

const { default: Anthropic } = await loadPackage('@anthropic-ai/sdk');

const MODEL = 'mock-model';
const MESSAGES = [{ role: 'user', content: 'Say something about load testing.' }];
const KEY = 'sk-ant-compat-test';

let mock;
let client;

before(async () => {
  process.env.LLMBENCH_COMPAT_ANTHROPIC_KEY = KEY;
  mock = await startMock(['--api-key-env', 'LLMBENCH_COMPAT_ANTHROPIC_KEY']);
  client = new Anthropic({ baseURL: mock.url, apiKey: KEY, maxRetries: 0, timeout: 10_000 });
});

after(async () => {
  await mock?.stop();
});

function withFault(kind) {
  return { headers: { 'x-mock-fault': kind } };
}

function textOf(message) {
  return message.content
    .filter((block) => block.type === 'text')
    .map((block) => block.text)
    .join('');
}

describe('messages.create', () => {
  test('non-streaming returns a message with text, stop_reason and usage', async () => {
    const message = await client.messages.create({ model: MODEL, max_tokens: 100, messages: MESSAGES });
    assert.equal(message.type, 'message');
    assert.equal(message.role, 'assistant');
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(message.content.length, 1);
    assert.equal(message.content[0].type, 'text');
    assert.equal(textOf(message).split(' ').length, MOCK_OUTPUT_TOKENS);
    assert.equal(message.usage.output_tokens, MOCK_OUTPUT_TOKENS);
    assert.ok(message.usage.input_tokens > 0, 'input_tokens must count the prompt');
  });

  test('stream: true yields the Messages API events in order', async () => {
    const stream = await client.messages.create({ model: MODEL, max_tokens: 100, messages: MESSAGES, stream: true });
    const types = [];
    let text = '';
    let usage;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      if (event.type === 'message_delta') usage = event.usage;
    }
    assert.equal(types[0], 'message_start');
    assert.equal(types[1], 'content_block_start');
    assert.equal(types.filter((type) => type === 'content_block_delta').length, MOCK_OUTPUT_TOKENS);
    assert.deepEqual(types.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
    assert.equal(text.split(' ').length, MOCK_OUTPUT_TOKENS);
    assert.equal(usage.output_tokens, MOCK_OUTPUT_TOKENS);
  });

  test('max_tokens cuts the reply with stop_reason max_tokens', async () => {
    const message = await client.messages.create({ model: MODEL, max_tokens: 5, messages: MESSAGES });
    assert.equal(message.stop_reason, 'max_tokens');
    assert.equal(message.usage.output_tokens, 5);
  });
});

describe('messages.stream helper (MessageStream)', () => {
  test('text events add up to finalMessage, whose usage is the final count', async () => {
    const stream = client.messages.stream({ model: MODEL, max_tokens: 100, messages: MESSAGES });
    let streamed = '';
    stream.on('text', (delta) => {
      streamed += delta;
    });
    const message = await stream.finalMessage();
    assert.equal(textOf(message), streamed);
    assert.equal(streamed.split(' ').length, MOCK_OUTPUT_TOKENS);
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(message.usage.output_tokens, MOCK_OUTPUT_TOKENS);
    assert.ok(message.usage.input_tokens > 0);
  });

  test('the reasoning phase arrives as a thinking block before the text', async () => {
    const stream = client.messages.stream(
      { model: MODEL, max_tokens: 100, messages: MESSAGES },
      { headers: { 'x-mock-reasoning-tokens': '4' } },
    );
    let thinking = '';
    stream.on('thinking', (delta) => {
      thinking += delta;
    });
    const message = await stream.finalMessage();
    assert.equal(message.content.length, 2);
    assert.equal(message.content[0].type, 'thinking');
    assert.equal(message.content[0].thinking, thinking);
    assert.equal(thinking.split(' ').length, 4);
    assert.ok(message.content[0].signature.length > 0, 'a thinking block carries a signature');
    assert.equal(message.content[1].type, 'text');
    assert.equal(message.usage.output_tokens, MOCK_OUTPUT_TOKENS + 4);
  });
});

describe('errors in Anthropic shape', () => {
  test('a wrong x-api-key is an AuthenticationError that does not echo the key', async () => {
    const wrong = new Anthropic({ baseURL: mock.url, apiKey: 'sk-ant-wrong', maxRetries: 0 });
    await assert.rejects(wrong.messages.create({ model: MODEL, max_tokens: 10, messages: MESSAGES }), (error) => {
      assert.ok(error instanceof Anthropic.AuthenticationError, String(error));
      assert.equal(error.status, 401);
      assert.equal(error.error.error.type, 'authentication_error');
      assert.ok(!JSON.stringify(error.error).includes('sk-ant'), 'the key must not be echoed');
      return true;
    });
  });

  test('429 is a RateLimitError with rate_limit_error and retry-after', async () => {
    await assert.rejects(
      client.messages.create({ model: MODEL, max_tokens: 10, messages: MESSAGES }, withFault('429')),
      (error) => {
        assert.ok(error instanceof Anthropic.RateLimitError, String(error));
        assert.equal(error.status, 429);
        assert.equal(error.error.error.type, 'rate_limit_error');
        assert.equal(error.headers.get('retry-after'), '1');
        return true;
      },
    );
  });

  test('an overloaded server (503 fault) is 529 overloaded_error', async () => {
    await assert.rejects(
      client.messages.create({ model: MODEL, max_tokens: 10, messages: MESSAGES }, withFault('503')),
      (error) => {
        assert.ok(error instanceof Anthropic.InternalServerError, String(error));
        assert.equal(error.status, 529);
        assert.equal(error.error.error.type, 'overloaded_error');
        return true;
      },
    );
  });

  test('a mid-stream error event throws while iterating', async () => {
    const stream = await client.messages.create(
      { model: MODEL, max_tokens: 100, messages: MESSAGES, stream: true },
      withFault('stream_error'),
    );
    await assert.rejects(
      (async () => {
        for await (const event of stream) void event;
      })(),
      (error) => {
        assert.ok(error instanceof Anthropic.APIError, String(error));
        assert.match(error.message, /mock fault stream_error/);
        return true;
      },
    );
  });
});
