// Starts a mock OpenAI upstream that serves the recorded fixtures and a real litellmd in front
// of it, both on 127.0.0.1 with free ports.
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const shared = process.env.LITELLM_SHARED_DIR;
export const fixture = (name) => readFileSync(join(shared, 'providers', 'openai', name), 'utf8');

export const MASTER_KEY = 'sk-e2e-master-key';

export async function startUpstream() {
  const seen = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const json = body ? JSON.parse(body) : {};
      seen.push({ path: req.url, body: json, auth: req.headers.authorization });
      if (req.url === '/v1/embeddings') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(fixture('embeddings.response.json'));
      } else if (req.url === '/v1/chat/completions' && json.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(fixture('chat.stream.sse'));
      } else if (req.url === '/v1/chat/completions') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(fixture('chat.response.json'));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(fixture('error-404.json'));
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, seen, port: server.address().port };
}

export async function startGateway(upstreamPort, modelList) {
  const dir = mkdtempSync(join(tmpdir(), 'litellm-e2e-'));
  const config = join(dir, 'config.yaml');
  const base = `http://127.0.0.1:${upstreamPort}/v1`;
  const models =
    modelList ??
    `  - model_name: gpt-4o
    litellm_params: {model: openai/gpt-4o-2024-08-06, api_base: "${base}", api_key: sk-upstream}
  - model_name: text-embedding-3-small
    litellm_params: {model: openai/text-embedding-3-small, api_base: "${base}", api_key: sk-upstream}
`;
  writeFileSync(config, `model_list:
${models}general_settings:
  master_key: ${MASTER_KEY}
`);
  const child = spawn(process.env.LITELLMD, ['--config', config, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LITELLM_HOME: join(dir, 'home') },
  });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/litellmd: listening on http:\/\/127\.0\.0\.1:(\d+)\n/);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`litellmd exited with ${code}`)));
  });
  const stop = () =>
    new Promise((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', (code) => {
        rmSync(dir, { recursive: true, force: true });
        resolve(code);
      });
      child.kill('SIGTERM');
    });
  return { port, stop };
}
