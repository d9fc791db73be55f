// The official openai npm client against the gateway, one native provider at a time: the
// client speaks OpenAI and never notices which provider answered.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';

import { MASTER_KEY, startGateway } from './gateway.mjs';
import { payload, startProviderMocks } from './provider_mocks.mjs';

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the weather in a given city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

let mocks;
let gateway;
let client;

before(async () => {
  mocks = await startProviderMocks();
  gateway = await startGateway(
    0,
    `  - model_name: ollama-chat
    litellm_params: {model: ollama_chat/llama3.2, api_base: "${mocks.base('ollama')}"}
  - model_name: ollama-embed
    litellm_params: {model: ollama/all-minilm, api_base: "${mocks.base('ollama')}"}
  - model_name: claude
    litellm_params: {model: anthropic/claude-haiku-4-5, api_base: "${mocks.base('anthropic')}", api_key: sk-ant-e2e}
  - model_name: gemini-flash
    litellm_params: {model: gemini/gemini-2.0-flash, api_base: "${mocks.base('gemini')}", api_key: AIza-e2e}
  - model_name: azure-gpt
    litellm_params: {model: azure/my-gpt4o, api_base: "${mocks.base('azure')}", api_version: "2024-10-21", api_key: azure-e2e}
  - model_name: command
    litellm_params: {model: cohere/command-a-03-2025, api_base: "${mocks.base('cohere')}", api_key: co-e2e}
  - model_name: cohere-embed
    litellm_params: {model: cohere/embed-v4.0, api_base: "${mocks.base('cohere')}", api_key: co-e2e}
  - model_name: claude-on-bedrock
    litellm_params:
      model: bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0
      api_base: "${mocks.base('bedrock')}"
      aws_access_key_id: AKIDE2E
      aws_secret_access_key: e2e-secret
      aws_region_name: us-east-1
  - model_name: titan-embed
    litellm_params:
      model: bedrock/amazon.titan-embed-text-v2:0
      api_base: "${mocks.base('bedrock')}"
      aws_access_key_id: AKIDE2E
      aws_secret_access_key: e2e-secret
      aws_region_name: us-east-1
  - model_name: gemini-embed
    litellm_params: {model: gemini/text-embedding-004, api_base: "${mocks.base('gemini')}", api_key: AIza-e2e}
`,
  );
  client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `http://127.0.0.1:${gateway.port}/v1`, maxRetries: 0 });
});

after(async () => {
  assert.equal(await gateway.stop(), 0, 'litellmd exits 0 on SIGTERM');
  mocks.server.close();
});

async function collect(stream) {
  let text = '';
  let finish = null;
  let usage = null;
  const toolCalls = [];
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    text += choice?.delta?.content ?? '';
    for (const call of choice?.delta?.tool_calls ?? []) toolCalls.push(call);
    if (choice?.finish_reason) finish = choice.finish_reason;
    if (chunk.usage) usage = chunk.usage;
  }
  return { text, finish, usage, toolCalls };
}

describe('ollama', () => {
  test('chat', async () => {
    const res = await client.chat.completions.create({
      model: 'ollama-chat',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }],
      max_tokens: 50,
    });
    assert.equal(res.choices[0].message.content, 'Hello! How are you today?');
    assert.equal(res.choices[0].finish_reason, 'stop');
    assert.deepEqual(res.usage, { prompt_tokens: 26, completion_tokens: 298, total_tokens: 324 });
    const sent = mocks.seen.at(-1);
    assert.equal(sent.path, '/api/chat');
    assert.equal(sent.body.options.num_predict, 50);
    assert.equal(sent.body.stream, false);
  });

  test('stream', async () => {
    const got = await collect(
      await client.chat.completions.create({
        model: 'ollama-chat',
        messages: [{ role: 'user', content: 'why is the sky blue?' }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    assert.equal(got.text, 'The sky is blue because of Rayleigh scattering.');
    assert.equal(got.finish, 'stop');
    assert.deepEqual(got.usage, { prompt_tokens: 26, completion_tokens: 282, total_tokens: 308 });
  });

  test('tools', async () => {
    const res = await client.chat.completions.create({
      model: 'ollama-chat',
      messages: [{ role: 'user', content: 'what is the weather in tokyo?' }],
      tools: [weatherTool],
    });
    const call = res.choices[0].message.tool_calls[0];
    assert.equal(res.choices[0].finish_reason, 'tool_calls');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Tokyo' });
    const streamed = await collect(
      await client.chat.completions.create({
        model: 'ollama-chat',
        messages: [{ role: 'user', content: 'what is the weather in tokyo?' }],
        tools: [weatherTool],
        stream: true,
      }),
    );
    assert.equal(streamed.finish, 'tool_calls');
    assert.deepEqual(JSON.parse(streamed.toolCalls[0].function.arguments), { city: 'Tokyo' });
  });

  test('embeddings', async () => {
    const res = await client.embeddings.create({
      model: 'ollama-embed',
      input: ['Why is the sky blue?', 'Why is the grass green?'],
      encoding_format: 'float',
    });
    const want = JSON.parse(payload('ollama', 'embed.response.json'));
    assert.equal(res.data.length, 2);
    assert.deepEqual(res.data[0].embedding, want.embeddings[0]);
    assert.equal(mocks.seen.at(-1).path, '/api/embed');
  });
});

describe('anthropic', () => {
  const ask = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }];

  test('chat', async () => {
    const want = JSON.parse(payload('anthropic', 'chat.response.json'));
    const res = await client.chat.completions.create({ model: 'claude', messages: ask });
    assert.equal(res.choices[0].message.content, want.content[0].text);
    assert.equal(res.choices[0].finish_reason, 'stop');
    assert.equal(res.usage.completion_tokens, want.usage.output_tokens);
    const sent = mocks.seen.at(-1);
    assert.equal(sent.body.system, 'Be brief.');
    assert.equal(sent.body.max_tokens, 64000); // claude-haiku-4-5's output limit, from the price table
    assert.equal(sent.headers['x-api-key'], 'sk-ant-e2e');
  });

  test('stream', async () => {
    const got = await collect(
      await client.chat.completions.create({ model: 'claude', messages: ask, stream: true, stream_options: { include_usage: true } }),
    );
    assert.equal(got.text, 'The weather in San Francisco, CA is currently **68°F and Sunny**. It\'s a nice day!');
    assert.equal(got.finish, 'stop');
    assert.ok(got.usage.prompt_tokens > 0);
  });

  test('tools', async () => {
    const res = await client.chat.completions.create({ model: 'claude', messages: ask, tools: [weatherTool] });
    assert.equal(res.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(JSON.parse(res.choices[0].message.tool_calls[0].function.arguments), {
      location: 'San Francisco, CA',
      units: 'c',
    });
    assert.equal(mocks.seen.at(-1).body.tools[0].input_schema.required[0], 'city');
    const streamed = await collect(
      await client.chat.completions.create({ model: 'claude', messages: ask, tools: [weatherTool], stream: true }),
    );
    assert.equal(streamed.finish, 'tool_calls');
    const args = streamed.toolCalls.map((c) => c.function?.arguments ?? '').join('');
    assert.deepEqual(JSON.parse(args), { location: 'San Francisco, CA', units: 'f' });
  });

  test('embeddings are refused: Anthropic has none', async () => {
    await assert.rejects(client.embeddings.create({ model: 'claude', input: 'x' }), (e) => e.status >= 400 && e.status < 500);
  });
});

describe('gemini', () => {
  const ask = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'How many paws?' }];

  test('chat', async () => {
    const res = await client.chat.completions.create({ model: 'gemini-flash', messages: ask, max_tokens: 64 });
    assert.equal(res.choices[0].message.content, 'Two dogs have 8 paws in total (4 paws each).\n');
    assert.equal(res.choices[0].finish_reason, 'stop');
    const sent = mocks.seen.at(-1);
    assert.equal(sent.path, '/models/gemini-2.0-flash:generateContent');
    assert.deepEqual(sent.body.systemInstruction, { parts: [{ text: 'Be brief.' }] });
    assert.equal(sent.body.generationConfig.maxOutputTokens, 64);
  });

  test('stream', async () => {
    const got = await collect(
      await client.chat.completions.create({ model: 'gemini-flash', messages: ask, stream: true, stream_options: { include_usage: true } }),
    );
    assert.equal(got.text, 'Two dogs have 8 paws in total (4 paws each).\n');
    assert.equal(got.finish, 'stop');
    assert.ok(got.usage.total_tokens > 0);
  });

  test('tools', async () => {
    const res = await client.chat.completions.create({ model: 'gemini-flash', messages: ask, tools: [weatherTool] });
    assert.equal(res.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(JSON.parse(res.choices[0].message.tool_calls[0].function.arguments), { location: 'Boston, MA' });
    assert.equal(mocks.seen.at(-1).body.tools[0].functionDeclarations[0].name, 'get_weather');
    const streamed = await collect(
      await client.chat.completions.create({ model: 'gemini-flash', messages: ask, tools: [weatherTool], stream: true }),
    );
    assert.equal(streamed.finish, 'tool_calls');
    assert.equal(streamed.toolCalls[0].function.name, 'get_current_weather');
  });

  test('embeddings', async () => {
    const res = await client.embeddings.create({ model: 'gemini-embed', input: ['a', 'b'], encoding_format: 'float' });
    const want = JSON.parse(payload('gemini', 'batch-embed-contents.response.json'));
    assert.deepEqual(res.data[1].embedding, want.embeddings[1].values);
    assert.equal(mocks.seen.at(-1).path, '/models/text-embedding-004:batchEmbedContents');
  });
});

describe('azure', () => {
  const ask = [{ role: 'user', content: 'Does Azure OpenAI support customer managed keys?' }];

  test('chat', async () => {
    const want = JSON.parse(payload('azure', 'chat.response.json'));
    const res = await client.chat.completions.create({ model: 'azure-gpt', messages: ask });
    assert.equal(res.choices[0].message.content, want.choices[0].message.content);
    const sent = mocks.seen.at(-1);
    assert.equal(sent.path, '/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21');
    assert.equal(sent.headers['api-key'], 'azure-e2e');
  });

  test('stream', async () => {
    const got = await collect(await client.chat.completions.create({ model: 'azure-gpt', messages: ask, stream: true }));
    assert.ok(got.text.length > 0);
    assert.equal(got.finish, 'stop');
  });

  test('tools', async () => {
    const res = await client.chat.completions.create({ model: 'azure-gpt', messages: ask, tools: [weatherTool] });
    assert.equal(res.choices[0].finish_reason, 'tool_calls');
    const streamed = await collect(
      await client.chat.completions.create({ model: 'azure-gpt', messages: ask, tools: [weatherTool], stream: true }),
    );
    assert.equal(streamed.finish, 'tool_calls');
  });

  test('embeddings', async () => {
    const res = await client.embeddings.create({ model: 'azure-gpt', input: ['first phrase', 'second phrase'], encoding_format: 'float' });
    assert.equal(res.data.length, 2);
    assert.equal(mocks.seen.at(-1).path, '/openai/deployments/my-gpt4o/embeddings?api-version=2024-10-21');
  });
});

describe('cohere', () => {
  const ask = [{ role: 'user', content: 'Hello world!' }];

  test('chat', async () => {
    const res = await client.chat.completions.create({ model: 'command', messages: ask, top_p: 0.5 });
    assert.equal(res.choices[0].message.content, 'Hello! How can I help you today?');
    const sent = mocks.seen.at(-1);
    assert.equal(sent.path, '/v2/chat');
    assert.equal(sent.body.p, 0.5);
  });

  test('stream', async () => {
    const got = await collect(
      await client.chat.completions.create({ model: 'command', messages: ask, stream: true, stream_options: { include_usage: true } }),
    );
    assert.equal(got.text, 'Hello! How can I help you today?');
    assert.equal(got.finish, 'stop');
    assert.equal(got.usage.prompt_tokens, 497);
  });

  test('tools', async () => {
    const res = await client.chat.completions.create({ model: 'command', messages: ask, tools: [weatherTool] });
    assert.equal(res.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(JSON.parse(res.choices[0].message.tool_calls[0].function.arguments), { location: 'Toronto' });
    const streamed = await collect(await client.chat.completions.create({ model: 'command', messages: ask, tools: [weatherTool], stream: true }));
    assert.equal(streamed.finish, 'tool_calls');
    assert.deepEqual(JSON.parse(streamed.toolCalls.map((c) => c.function?.arguments ?? '').join('')), { location: 'Toronto' });
  });

  test('embeddings', async () => {
    const res = await client.embeddings.create({ model: 'cohere-embed', input: ['hello', 'goodbye'], encoding_format: 'float' });
    assert.equal(res.data.length, 2);
    assert.equal(mocks.seen.at(-1).body.input_type, 'search_document');
  });
});

describe('bedrock', () => {
  const ask = [{ role: 'user', content: 'Hello!' }];
  const events = (name) => JSON.parse(payload('bedrock', name));

  test('chat', async () => {
    const res = await client.chat.completions.create({ model: 'claude-on-bedrock', messages: ask, max_tokens: 100 });
    assert.equal(res.choices[0].message.content, 'Hello! How can I help you today?');
    const sent = mocks.seen.at(-1);
    assert.equal(sent.path, '/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse');
    assert.equal(sent.body.inferenceConfig.maxTokens, 100);
    assert.match(sent.headers['x-amz-date'], /^\d{8}T\d{6}Z$/);
  });

  test('stream', async () => {
    const got = await collect(
      await client.chat.completions.create({ model: 'claude-on-bedrock', messages: ask, stream: true, stream_options: { include_usage: true } }),
    );
    const want = events('converse.stream.events.json')
      .filter((e) => e.headers[':event-type'] === 'contentBlockDelta')
      .map((e) => e.payload.delta.text ?? '')
      .join('');
    assert.equal(got.text, want);
    assert.equal(got.finish, 'stop');
    assert.ok(got.usage.total_tokens > 0);
  });

  test('tools', async () => {
    const res = await client.chat.completions.create({ model: 'claude-on-bedrock', messages: ask, tools: [weatherTool] });
    assert.equal(res.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(JSON.parse(res.choices[0].message.tool_calls[0].function.arguments), { city: 'Seattle' });
    const streamed = await collect(await client.chat.completions.create({ model: 'claude-on-bedrock', messages: ask, tools: [weatherTool], stream: true }));
    assert.equal(streamed.finish, 'tool_calls');
    assert.deepEqual(JSON.parse(streamed.toolCalls.map((c) => c.function?.arguments ?? '').join('')), { city: 'Seattle' });
  });

  test('embeddings', async () => {
    const res = await client.embeddings.create({ model: 'titan-embed', input: 'hello there', encoding_format: 'float' });
    assert.deepEqual(res.data[0].embedding, [0.25, -0.5, 0.75]);
    assert.equal(res.usage.prompt_tokens, 3);
    const sent = mocks.seen.at(-1);
    assert.equal(sent.path, '/model/amazon.titan-embed-text-v2%3A0/invoke');
    assert.deepEqual(sent.body, { inputText: 'hello there' });
  });
});
