// The official @anthropic-ai/sdk against the gateway's /v1/messages, served by OpenAI, Ollama
// and Anthropic upstreams: tools built on the Anthropic SDK work with any provider unchanged.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';

import { MASTER_KEY, fixture, startGateway, startUpstream } from './gateway.mjs';
import { payload, startProviderMocks } from './provider_mocks.mjs';

let openaiUpstream;
let mocks;
let gateway;
let client;

const weather = {
  name: 'get_weather',
  description: 'Get the weather in a given city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

before(async () => {
  openaiUpstream = await startUpstream();
  mocks = await startProviderMocks();
  const openaiBase = `http://127.0.0.1:${openaiUpstream.port}/v1`;
  gateway = await startGateway(
    0,
    `  - model_name: gpt-4o
    litellm_params: {model: openai/gpt-4o-2024-08-06, api_base: "${openaiBase}", api_key: sk-upstream}
  - model_name: local-llama
    litellm_params: {model: ollama_chat/llama3.2, api_base: "${mocks.base('ollama')}"}
  - model_name: claude
    litellm_params: {model: anthropic/claude-haiku-4-5, api_base: "${mocks.base('anthropic')}", api_key: sk-ant-e2e}
`,
  );
  client = new Anthropic({ apiKey: MASTER_KEY, baseURL: `http://127.0.0.1:${gateway.port}`, maxRetries: 0 });
});

after(async () => {
  assert.equal(await gateway.stop(), 0, 'litellmd exits 0 on SIGTERM');
  openaiUpstream.server.close();
  mocks.server.close();
});

test('anthropic sdk: a message answered by an OpenAI model', async () => {
  const want = JSON.parse(fixture('chat.response.json'));
  const msg = await client.messages.create({
    model: 'gpt-4o',
    max_tokens: 300,
    system: 'You are terse.',
    messages: [{ role: 'user', content: "What's the weather like in SF?" }],
  });
  assert.equal(msg.type, 'message');
  assert.equal(msg.role, 'assistant');
  assert.equal(msg.content[0].type, 'text');
  assert.equal(msg.content[0].text, want.choices[0].message.content);
  assert.equal(msg.stop_reason, 'end_turn');
  assert.equal(msg.usage.output_tokens, want.usage.completion_tokens);
  const sent = openaiUpstream.seen.at(-1).body;
  assert.deepEqual(sent.messages[0], { role: 'system', content: 'You are terse.' });
  assert.equal(sent.max_tokens, 300);
});

test('anthropic sdk: a streamed message from an OpenAI model', async () => {
  const stream = client.messages.stream({
    model: 'gpt-4o',
    max_tokens: 300,
    messages: [{ role: 'user', content: "What's the weather like in SF?" }],
  });
  let text = '';
  stream.on('text', (t) => (text += t));
  const final = await stream.finalMessage();
  const expected = fixture('chat.stream.sse')
    .split('\n')
    .filter((l) => l.startsWith('data: {'))
    .map((l) => JSON.parse(l.slice(6)).choices[0]?.delta?.content ?? '')
    .join('');
  assert.equal(text, expected);
  assert.equal(final.content[0].text, expected);
  assert.equal(final.stop_reason, 'end_turn');
  assert.ok(final.usage.output_tokens > 0);
});

test('anthropic sdk: tool use through an Ollama model, then the tool result fed back', async () => {
  const msg = await client.messages.create({
    model: 'local-llama',
    max_tokens: 200,
    tools: [weather],
    messages: [{ role: 'user', content: 'what is the weather in tokyo?' }],
  });
  assert.equal(msg.stop_reason, 'tool_use');
  const use = msg.content.find((b) => b.type === 'tool_use');
  assert.equal(use.name, 'get_weather');
  assert.deepEqual(use.input, { city: 'Tokyo' });

  await client.messages.create({
    model: 'local-llama',
    max_tokens: 200,
    tools: [weather],
    messages: [
      { role: 'user', content: 'what is the weather in tokyo?' },
      { role: 'assistant', content: msg.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '11 degrees celsius' }] },
    ],
  });
  const sent = mocks.seen.at(-1).body;
  assert.deepEqual(sent.messages.at(-1), { role: 'tool', content: '11 degrees celsius', tool_name: 'get_weather' });
  assert.deepEqual(sent.messages[1].tool_calls[0].function, { name: 'get_weather', arguments: { city: 'Tokyo' } });

  const stream = client.messages.stream({
    model: 'local-llama',
    max_tokens: 200,
    tools: [weather],
    messages: [{ role: 'user', content: 'what is the weather in tokyo?' }],
  });
  const final = await stream.finalMessage();
  assert.equal(final.stop_reason, 'tool_use');
  assert.deepEqual(final.content.find((b) => b.type === 'tool_use').input, { city: 'Tokyo' });
});

test('anthropic sdk: an Anthropic model through the gateway', async () => {
  const want = JSON.parse(payload('anthropic', 'chat.response.json'));
  const msg = await client.messages.create({
    model: 'claude',
    max_tokens: 100,
    messages: [{ role: 'user', content: 'hi' }],
  });
  assert.equal(msg.content[0].text, want.content[0].text);
  assert.equal(mocks.seen.at(-1).body.max_tokens, 100);
});

test('anthropic sdk: errors arrive as the SDK error classes', async () => {
  await assert.rejects(
    client.messages.create({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
    (e) => e instanceof Anthropic.BadRequestError && e.status === 400 && e.error?.error?.type === 'invalid_request_error',
  );
  await assert.rejects(
    client.messages.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    (e) => e instanceof Anthropic.BadRequestError && /max_tokens/.test(e.message),
  );
  const stranger = new Anthropic({ apiKey: 'sk-wrong', baseURL: `http://127.0.0.1:${gateway.port}`, maxRetries: 0 });
  await assert.rejects(
    stranger.messages.create({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
    (e) => e instanceof Anthropic.AuthenticationError,
  );
});
