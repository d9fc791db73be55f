import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';

import { MASTER_KEY, fixture, startGateway, startUpstream } from './gateway.mjs';

let upstream;
let gateway;
let client;

before(async () => {
  upstream = await startUpstream();
  gateway = await startGateway(upstream.port);
  client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `http://127.0.0.1:${gateway.port}/v1`, maxRetries: 0 });
});

after(async () => {
  assert.equal(await gateway.stop(), 0, 'litellmd exits 0 on SIGTERM');
  upstream.server.close();
});

test('openai sdk: chat completion', async () => {
  const want = JSON.parse(fixture('chat.response.json'));
  const { data, response } = await client.chat.completions
    .create({ model: 'gpt-4o', messages: [{ role: 'user', content: "What's the weather like in SF?" }] })
    .withResponse();
  assert.equal(data.choices[0].message.content, want.choices[0].message.content);
  assert.deepEqual(data.usage, want.usage);
  assert.match(response.headers.get('x-litellm-call-id'), /^[0-9a-f-]{36}$/);
  const sent = upstream.seen.at(-1);
  assert.equal(sent.body.model, 'gpt-4o-2024-08-06');
  assert.equal(sent.auth, 'Bearer sk-upstream');
});

test('openai sdk: streamed chat completion', async () => {
  const stream = await client.chat.completions.create({
    model: 'gpt-4o',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: "What's the weather like in SF?" }],
  });
  let text = '';
  let usage = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks += 1;
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  const expected = fixture('chat.stream.sse')
    .split('\n')
    .filter((l) => l.startsWith('data: {'))
    .map((l) => JSON.parse(l.slice(6)));
  assert.equal(chunks, expected.length);
  assert.equal(text, expected.map((c) => c.choices[0]?.delta?.content ?? '').join(''));
  assert.ok(usage && usage.total_tokens > 0);
});

test('openai sdk: embeddings', async () => {
  const res = await client.embeddings.create({
    model: 'text-embedding-3-small',
    input: ['The food was delicious and the waiter was kind.', 'The service was slow.'],
    encoding_format: 'float',
    dimensions: 8,
  });
  const want = JSON.parse(fixture('embeddings.response.json'));
  assert.equal(res.data.length, 2);
  assert.deepEqual(res.data[1].embedding, want.data[1].embedding);
});

test('openai sdk: errors surface as the SDK error classes', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
    (e) => e instanceof OpenAI.BadRequestError && e.status === 400,
  );
  const anon = new OpenAI({ apiKey: 'sk-wrong', baseURL: client.baseURL, maxRetries: 0 });
  await assert.rejects(anon.models.list(), (e) => e instanceof OpenAI.AuthenticationError);
  const models = await client.models.list();
  assert.deepEqual(models.data.map((m) => m.id).sort(), ['gpt-4o', 'text-embedding-3-small']);
});
