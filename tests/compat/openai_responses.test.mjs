// The official `openai` npm SDK's Responses API (`responses.create`, `responses.stream`),
// unchanged, against `llmbench mock`'s /v1/responses. (Chat and legacy completions:
// openai_sdk.test.mjs.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { MOCK_OUTPUT_TOKENS, loadPackage, startMock } from './mock_process.mjs';

const { default: OpenAI } = await loadPackage('openai');

const MODEL = 'mock-model';
const INPUT = 'Say something about load testing.';

let mock;
let client;

before(async () => {
  mock = await startMock();
  client = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'test', maxRetries: 0, timeout: 10_000 });
});

after(async () => {
  await mock?.stop();
});

describe('responses.create', () => {
  test('non-streaming returns output_text and usage', async () => {
    const response = await client.responses.create({ model: MODEL, input: INPUT });
    assert.equal(response.object, 'response');
    assert.equal(response.status, 'completed');
    assert.equal(response.output_text.split(' ').length, MOCK_OUTPUT_TOKENS);
    assert.equal(response.usage.output_tokens, MOCK_OUTPUT_TOKENS);
    assert.ok(response.usage.input_tokens > 0, 'input_tokens must count the prompt');
    assert.equal(response.usage.total_tokens, response.usage.input_tokens + response.usage.output_tokens);
  });

  test('stream: true yields numbered events from response.created to response.completed', async () => {
    const stream = await client.responses.create({ model: MODEL, input: INPUT, stream: true });
    const events = [];
    for await (const event of stream) events.push(event);
    assert.equal(events[0].type, 'response.created');
    assert.equal(events.at(-1).type, 'response.completed');
    events.forEach((event, i) => assert.equal(event.sequence_number, i));
    const deltas = events.filter((event) => event.type === 'response.output_text.delta');
    assert.equal(deltas.length, MOCK_OUTPUT_TOKENS);
    const text = deltas.map((event) => event.delta).join('');
    const done = events.find((event) => event.type === 'response.output_text.done');
    assert.equal(done.text, text);
    const { usage } = events.at(-1).response;
    assert.equal(usage.output_tokens, MOCK_OUTPUT_TOKENS);
  });

  test('max_output_tokens ends the response incomplete', async () => {
    const response = await client.responses.create({ model: MODEL, input: INPUT, max_output_tokens: 5 });
    assert.equal(response.status, 'incomplete');
    assert.equal(response.incomplete_details.reason, 'max_output_tokens');
    assert.equal(response.output_text.split(' ').length, 5);
  });
});

describe('responses.stream helper (ResponseStream)', () => {
  test('delta events add up to finalResponse, with usage', async () => {
    const stream = client.responses.stream({ model: MODEL, input: INPUT });
    let streamed = '';
    stream.on('response.output_text.delta', (event) => {
      streamed += event.delta;
    });
    const response = await stream.finalResponse();
    assert.equal(response.output_text, streamed);
    assert.equal(streamed.split(' ').length, MOCK_OUTPUT_TOKENS);
    assert.equal(response.usage.output_tokens, MOCK_OUTPUT_TOKENS);
  });

  test('the reasoning phase is a reasoning item before the message', async () => {
    const stream = client.responses.stream(
      { model: MODEL, input: INPUT },
      { headers: { 'x-mock-reasoning-tokens': '4' } },
    );
    let reasoning = '';
    stream.on('response.reasoning_text.delta', (event) => {
      reasoning += event.delta;
    });
    const response = await stream.finalResponse();
    assert.equal(response.output.length, 2);
    assert.equal(response.output[0].type, 'reasoning');
    assert.equal(response.output[0].content[0].text, reasoning);
    assert.equal(reasoning.split(' ').length, 4);
    assert.equal(response.output[1].type, 'message');
    assert.equal(response.output_text.split(' ').length, MOCK_OUTPUT_TOKENS);
    assert.equal(response.usage.output_tokens, MOCK_OUTPUT_TOKENS + 4);
    assert.equal(response.usage.output_tokens_details.reasoning_tokens, 4);
  });
});

describe('errors', () => {
  test('429 is a RateLimitError', async () => {
    await assert.rejects(
      client.responses.create({ model: MODEL, input: INPUT }, { headers: { 'x-mock-fault': '429' } }),
      (error) => {
        assert.ok(error instanceof OpenAI.RateLimitError, String(error));
        assert.equal(error.status, 429);
        return true;
      },
    );
  });

  test('a mid-stream error event throws while iterating', async () => {
    const stream = await client.responses.create(
      { model: MODEL, input: INPUT, stream: true },
      { headers: { 'x-mock-fault': 'stream_error' } },
    );
    await assert.rejects(
      (async () => {
        for await (const event of stream) void event;
      })(),
      (error) => {
        assert.ok(error instanceof OpenAI.APIError, String(error));
        return true;
      },
    );
  });
});
