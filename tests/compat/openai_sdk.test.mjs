// The official `openai` npm SDK, unchanged, against `llmbench mock`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { MOCK_OUTPUT_TOKENS, loadPackage, recordingFetch, startMock } from './mock_process.mjs';

const { default: OpenAI } = await loadPackage('openai');

const MODEL = 'mock-model';
const MESSAGES = [{ role: 'user', content: 'Say something about load testing.' }];
const SEED = 42;

let mock;
let client;

before(async () => {
  mock = await startMock();
  client = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'test', maxRetries: 0, timeout: 10_000 });
});

after(async () => {
  await mock?.stop();
});

function withFault(kind) {
  return { headers: { 'x-mock-fault': kind } };
}

async function collect(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function contentOf(chunks) {
  return chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
}

describe('chat.completions.create', () => {
  test('non-streaming returns content, usage and finish_reason', async () => {
    const completion = await client.chat.completions.create({ model: MODEL, messages: MESSAGES, seed: SEED });
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.choices.length, 1);
    const [choice] = completion.choices;
    assert.equal(choice.index, 0);
    assert.equal(choice.finish_reason, 'stop');
    assert.equal(choice.message.role, 'assistant');
    assert.equal(typeof choice.message.content, 'string');
    assert.ok(choice.message.content.length > 0, 'content is empty');
    assert.equal(completion.usage.completion_tokens, MOCK_OUTPUT_TOKENS);
    assert.ok(completion.usage.prompt_tokens > 0, 'prompt_tokens must count the prompt');
    assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);
  });

  test('streaming with include_usage: role first, deltas equal the non-streamed content, usage chunk last', async () => {
    const reference = await client.chat.completions.create({ model: MODEL, messages: MESSAGES, seed: SEED });
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: MESSAGES,
      seed: SEED,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    assert.ok(chunks.length >= 3, `only ${chunks.length} chunks`);
    for (const chunk of chunks) assert.equal(chunk.object, 'chat.completion.chunk');
    assert.equal(chunks[0].choices[0].delta.role, 'assistant', 'the first chunk must carry the role');

    const usageChunks = chunks.filter((chunk) => chunk.usage);
    assert.equal(usageChunks.length, 1, 'exactly one chunk carries usage');
    const usageChunk = chunks.at(-1);
    assert.equal(usageChunk, usageChunks[0], 'the usage chunk comes last');
    assert.deepEqual(usageChunk.choices, []);
    assert.equal(usageChunk.usage.completion_tokens, MOCK_OUTPUT_TOKENS);
    assert.equal(usageChunk.usage.prompt_tokens, reference.usage.prompt_tokens);

    const finishChunks = chunks.filter((chunk) => chunk.choices[0]?.finish_reason);
    assert.equal(finishChunks.length, 1);
    assert.equal(finishChunks[0].choices[0].finish_reason, 'stop');

    assert.equal(contentOf(chunks), reference.choices[0].message.content);
  });

  test('streaming without include_usage sends no usage chunk', async () => {
    const stream = await client.chat.completions.create({ model: MODEL, messages: MESSAGES, stream: true });
    const chunks = await collect(stream);
    assert.ok(chunks.length > 0);
    assert.equal(chunks.filter((chunk) => chunk.usage).length, 0);
    assert.ok(chunks.every((chunk) => chunk.choices.length === 1));
  });

  test('max_tokens caps the output with finish_reason length', async () => {
    const completion = await client.chat.completions.create({ model: MODEL, messages: MESSAGES, max_tokens: 5 });
    assert.equal(completion.choices[0].finish_reason, 'length');
    assert.equal(completion.usage.completion_tokens, 5);

    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: MESSAGES,
      max_completion_tokens: 3,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    assert.equal(chunks.find((chunk) => chunk.choices[0]?.finish_reason).choices[0].finish_reason, 'length');
    assert.equal(chunks.at(-1).usage.completion_tokens, 3);
  });

  test('n=2 returns two indexed choices', async () => {
    const completion = await client.chat.completions.create({ model: MODEL, messages: MESSAGES, n: 2 });
    assert.deepEqual(
      completion.choices.map((choice) => choice.index),
      [0, 1],
    );
    for (const choice of completion.choices) {
      assert.equal(choice.finish_reason, 'stop');
      assert.equal(choice.message.role, 'assistant');
      assert.ok(choice.message.content.length > 0);
    }
    assert.equal(completion.usage.completion_tokens, 2 * MOCK_OUTPUT_TOKENS);
  });
});

describe('reasoning phase (x-mock-reasoning-tokens)', () => {
  test('reasoning_content deltas precede the content, usage counts them in its details', async () => {
    const stream = await client.chat.completions.create(
      { model: MODEL, messages: MESSAGES, seed: SEED, stream: true, stream_options: { include_usage: true } },
      { headers: { 'x-mock-reasoning-tokens': '4' } },
    );
    const chunks = await collect(stream);
    const kinds = chunks
      .map((chunk) => chunk.choices[0]?.delta ?? {})
      .map((delta) => (delta.reasoning_content ? 'r' : delta.content ? 'c' : ''))
      .join('');
    assert.equal(kinds, `rrrr${'c'.repeat(MOCK_OUTPUT_TOKENS)}`);
    const usage = chunks.at(-1).usage;
    assert.equal(usage.completion_tokens, MOCK_OUTPUT_TOKENS + 4);
    assert.equal(usage.completion_tokens_details.reasoning_tokens, 4);
  });
});

describe('chat.completions.stream helper (ChatCompletionStream)', () => {
  test('finalChatCompletion succeeds and matches the non-streamed completion', async () => {
    const reference = await client.chat.completions.create({ model: MODEL, messages: MESSAGES, seed: SEED });
    const runner = client.chat.completions.stream({
      model: MODEL,
      messages: MESSAGES,
      seed: SEED,
      stream_options: { include_usage: true },
    });
    const deltas = [];
    runner.on('content', (delta) => deltas.push(delta));
    const final = await runner.finalChatCompletion();
    assert.equal(final.choices.length, 1);
    assert.equal(final.choices[0].finish_reason, 'stop');
    assert.equal(final.choices[0].message.role, 'assistant');
    assert.equal(final.choices[0].message.content, reference.choices[0].message.content);
    assert.equal(deltas.join(''), reference.choices[0].message.content);
    assert.equal(final.usage.completion_tokens, MOCK_OUTPUT_TOKENS);
  });

  test('n=2 stream accumulates both choices', async () => {
    const final = await client.chat.completions.stream({ model: MODEL, messages: MESSAGES, n: 2 }).finalChatCompletion();
    assert.deepEqual(
      final.choices.map((choice) => [choice.index, choice.finish_reason, choice.message.role]),
      [
        [0, 'stop', 'assistant'],
        [1, 'stop', 'assistant'],
      ],
    );
    for (const choice of final.choices) assert.ok(choice.message.content.length > 0);
  });
});

describe('models.list', () => {
  test('lists the configured model', async () => {
    const ids = [];
    for await (const model of client.models.list()) {
      assert.equal(model.object, 'model');
      ids.push(model.id);
    }
    assert.ok(ids.includes(MODEL), `models: ${ids.join(', ')}`);
    const retrieved = await client.models.retrieve(MODEL);
    assert.equal(retrieved.id, MODEL);
  });
});

describe('errors', () => {
  test('forced 429 with maxRetries 0 raises RateLimitError with status, headers and body', async () => {
    const error = await client.chat.completions
      .create({ model: MODEL, messages: MESSAGES }, withFault('429'))
      .then(() => assert.fail('the request succeeded'), (caught) => caught);
    assert.ok(error instanceof OpenAI.RateLimitError, `got ${error?.constructor?.name}: ${error?.message}`);
    assert.equal(error.status, 429);
    assert.equal(error.type, 'requests');
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.match(error.error.message, /try again in/i);
    assert.equal(error.headers.get('retry-after'), '1');
  });

  test('429 is retried by the SDK per retry-after when maxRetries allows', async () => {
    const recorder = recordingFetch();
    const retrying = new OpenAI({
      baseURL: `${mock.url}/v1`,
      apiKey: 'test',
      maxRetries: 1,
      fetch: recorder.fetch,
    });
    const error = await retrying.chat.completions
      .create({ model: MODEL, messages: MESSAGES }, withFault('429'))
      .then(() => assert.fail('the request succeeded'), (caught) => caught);
    assert.ok(error instanceof OpenAI.RateLimitError);
    assert.equal(recorder.attempts.length, 2, 'one try and one retry');
    // retry-after-ms / retry-after say 1 s; the SDK waits that long (generous lower bound).
    const gapMs = recorder.attempts[1].startedMs - recorder.attempts[0].startedMs;
    assert.ok(gapMs >= 900, `retried after ${gapMs.toFixed(0)} ms`);
  });

  test('forced 500 raises InternalServerError with the OpenAI error body', async () => {
    const error = await client.chat.completions
      .create({ model: MODEL, messages: MESSAGES }, withFault('500'))
      .then(() => assert.fail('the request succeeded'), (caught) => caught);
    assert.ok(error instanceof OpenAI.InternalServerError, `got ${error?.constructor?.name}: ${error?.message}`);
    assert.equal(error.status, 500);
    assert.equal(error.type, 'server_error');
    assert.equal(typeof error.error.message, 'string');
  });

  test('forced 503 raises InternalServerError with status 503', async () => {
    const error = await client.chat.completions
      .create({ model: MODEL, messages: MESSAGES }, withFault('503'))
      .then(() => assert.fail('the request succeeded'), (caught) => caught);
    assert.ok(error instanceof OpenAI.InternalServerError);
    assert.equal(error.status, 503);
  });

  test('mid-stream stream_error raises APIError during iteration, after some content', async () => {
    const stream = await client.chat.completions.create(
      { model: MODEL, messages: MESSAGES, stream: true },
      withFault('stream_error'),
    );
    const received = [];
    const error = await (async () => {
      for await (const chunk of stream) received.push(chunk);
    })().then(() => assert.fail('the stream ended without an error'), (caught) => caught);
    assert.ok(error instanceof OpenAI.APIError, `got ${error?.constructor?.name}: ${error?.message}`);
    assert.equal(error.code, 'stream_error');
    assert.ok(contentOf(received).length > 0, 'the error came before any content');
    assert.ok(!received.some((chunk) => chunk.choices[0]?.finish_reason), 'a finish_reason arrived before the error');
  });

  test('stream_error fails the .stream() helper too', async () => {
    const runner = client.chat.completions.stream({ model: MODEL, messages: MESSAGES }, withFault('stream_error'));
    const error = await runner.finalChatCompletion().then(
      () => assert.fail('finalChatCompletion succeeded'),
      (caught) => caught,
    );
    assert.ok(error instanceof OpenAI.APIError, `got ${error?.constructor?.name}: ${error?.message}`);
  });
});

describe('legacy completions.create', () => {
  test('non-streaming text, finish_reason and usage', async () => {
    const completion = await client.completions.create({ model: MODEL, prompt: 'Once upon a time', seed: SEED });
    assert.equal(completion.object, 'text_completion');
    assert.equal(completion.choices.length, 1);
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.ok(completion.choices[0].text.length > 0);
    assert.equal(completion.usage.completion_tokens, MOCK_OUTPUT_TOKENS);
  });

  test('streamed text deltas equal the non-streamed text for the same seed', async () => {
    const reference = await client.completions.create({ model: MODEL, prompt: 'Once upon a time', seed: SEED });
    const stream = await client.completions.create({ model: MODEL, prompt: 'Once upon a time', seed: SEED, stream: true });
    const chunks = await collect(stream);
    const text = chunks.map((chunk) => chunk.choices[0]?.text ?? '').join('');
    assert.equal(text, reference.choices[0].text);
    assert.equal(chunks.filter((chunk) => chunk.choices[0]?.finish_reason === 'stop').length, 1);
  });

  test('an array prompt gives one choice per prompt', async () => {
    const completion = await client.completions.create({ model: MODEL, prompt: ['first', 'second'], max_tokens: 4 });
    assert.deepEqual(
      completion.choices.map((choice) => [choice.index, choice.finish_reason]),
      [
        [0, 'length'],
        [1, 'length'],
      ],
    );
  });
});
