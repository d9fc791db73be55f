// One mock server speaking each provider's native wire format, answering with the recorded
// payloads of shared/providers/<provider>/. Requests are recorded for the tests to inspect.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const shared = process.env.LITELLM_SHARED_DIR;
export const payload = (provider, name) =>
  readFileSync(join(shared, 'providers', provider, name), 'utf8');
const bytes = (provider, name) => readFileSync(join(shared, 'providers', provider, name));

function ollama(path, body) {
  const tools = Array.isArray(body.tools) && body.tools.length > 0;
  if (path === '/api/embed') return ['application/json', payload('ollama', 'embed.response.json')];
  if (path === '/api/chat' && body.stream !== false)
    return ['application/x-ndjson', payload('ollama', tools ? 'chat-tools.stream.ndjson' : 'chat.stream.ndjson')];
  if (path === '/api/chat')
    return ['application/json', payload('ollama', tools ? 'chat-tools.response.json' : 'chat.response.json')];
  return null;
}

function anthropic(path, body, headers) {
  if (path !== '/v1/messages' || headers['anthropic-version'] !== '2023-06-01' || !headers['x-api-key'])
    return null;
  const tools = Array.isArray(body.tools) && body.tools.length > 0;
  if (body.stream)
    return ['text/event-stream', payload('anthropic', tools ? 'chat-tools.stream.sse' : 'chat.stream.sse')];
  return ['application/json', payload('anthropic', tools ? 'chat-tools.response.json' : 'chat.response.json')];
}

function gemini(path, body, headers) {
  if (!headers['x-goog-api-key']) return null;
  const tools = Array.isArray(body.tools) && body.tools.length > 0;
  if (path.endsWith(':streamGenerateContent?alt=sse'))
    return ['text/event-stream', payload('gemini', tools ? 'generate-tools.stream.sse' : 'generate.stream.sse')];
  if (path.endsWith(':generateContent'))
    return ['application/json', payload('gemini', tools ? 'generate-tools.response.json' : 'generate.response.json')];
  if (path.endsWith(':batchEmbedContents')) return ['application/json', payload('gemini', 'batch-embed-contents.response.json')];
  if (path.endsWith(':embedContent')) return ['application/json', payload('gemini', 'embed-content.response.json')];
  return null;
}

// Azure speaks OpenAI's bodies: its own fixtures where the folder has them, OpenAI's for tools.
function azure(path, body, headers) {
  const m = path.match(/^\/openai\/deployments\/[^/]+\/(chat\/completions|embeddings)\?api-version=[\w-]+$/);
  if (!m || !headers['api-key']) return null;
  if (m[1] === 'embeddings') return ['application/json', payload('azure', 'embeddings.response.json')];
  const tools = Array.isArray(body.tools) && body.tools.length > 0;
  if (body.stream)
    return ['text/event-stream', tools ? payload('openai', 'chat-tools.stream.sse') : payload('azure', 'chat.stream.sse')];
  return ['application/json', tools ? payload('openai', 'chat-tools.response.json') : payload('azure', 'chat.response.json')];
}

function cohere(path, body, headers) {
  if (headers.authorization !== 'Bearer co-e2e') return null;
  if (path === '/v2/embed') return ['application/json', payload('cohere', 'embed.response.json')];
  if (path !== '/v2/chat') return null;
  const tools = Array.isArray(body.tools) && body.tools.length > 0;
  if (body.stream) return ['text/event-stream', payload('cohere', tools ? 'chat-tools.stream.sse' : 'chat.stream.sse')];
  return ['application/json', payload('cohere', tools ? 'chat-tools.response.json' : 'chat.response.json')];
}

// Bedrock checks the SigV4 header's shape (the signature itself is tested against AWS's suite)
// and answers ConverseStream in binary event-stream frames.
function bedrock(path, body, headers) {
  const m = path.match(/^\/model\/[^/]+\/(converse|converse-stream|invoke)$/);
  const auth = headers.authorization ?? '';
  if (!m || !/^AWS4-HMAC-SHA256 Credential=AKIDE2E\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=[a-z;-]+, Signature=[0-9a-f]{64}$/.test(auth))
    return null;
  // Titan Text Embeddings V2's answer as the Bedrock user guide shows it (no recorded payload).
  if (m[1] === 'invoke') return ['application/json', JSON.stringify({ embedding: [0.25, -0.5, 0.75], inputTextTokenCount: 3 })];
  const tools = body.toolConfig !== undefined;
  if (m[1] === 'converse-stream')
    return ['application/vnd.amazon.eventstream', bytes('bedrock', tools ? 'converse-tools.stream.bin' : 'converse.stream.bin')];
  return ['application/json', payload('bedrock', tools ? 'converse-tools.response.json' : 'converse.response.json')];
}

// Each provider mock is mounted under /<provider> so one server serves them all.
const routes = { ollama, anthropic, gemini, azure, cohere, bedrock };

export async function startProviderMocks() {
  const seen = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const [, provider, ...rest] = req.url.split('/');
      const path = '/' + rest.join('/');
      const body = raw ? JSON.parse(raw) : {};
      seen.push({ provider, path, body, headers: req.headers });
      const answer = routes[provider]?.(path, body, req.headers);
      if (!answer) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `no mock for ${req.method} ${req.url}` }));
        return;
      }
      res.writeHead(200, { 'content-type': answer[0] });
      res.end(answer[1]);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = (provider) => `http://127.0.0.1:${server.address().port}/${provider}`;
  return { server, seen, base };
}
