#!/usr/bin/env bash
# Time from exec to a served /health/liveliness with a 50-model config, with hyperfine, beside
# nginx starting and answering the same way (the baseline). Also prints litellmd's idle RSS.
# Usage: bench/startup.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
"$root/packaging/install-deps.sh" bench
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

{
  echo "model_list:"
  for i in $(seq 1 50); do
    echo "  - model_name: model-$i"
    echo "    litellm_params: {model: openai/gpt-4o-$i, api_base: 'http://127.0.0.1:9/v1', api_key: sk-x, rpm: $((i * 10))}"
  done
  echo "general_settings: {master_key: sk-bench}"
} > "$work/config.yaml"

cat > "$work/probe-litellmd.sh" <<PROBE
#!/usr/bin/env bash
exec 3< <(exec "$build/bin/litellmd" --config "$work/config.yaml" --port 0 2>/dev/null)
pid=\$!
read -r line <&3
curl -sf "http://127.0.0.1:\${line##*:}/health/liveliness" >/dev/null
kill \$pid; wait \$pid 2>/dev/null || true
PROBE
cat > "$work/probe-ready.sh" <<PROBE
#!/usr/bin/env bash
exec 3< <(exec "$build/bin/litellmd" --config "$work/config.yaml" --port 0 2>/dev/null)
pid=\$!
read -r line <&3
kill -9 \$pid
PROBE
cat > "$work/probe-true.sh" <<PROBE
#!/usr/bin/env bash
exec 3< <(exec true)
read -r line <&3 || true
PROBE
mkdir -p "$work/ngx"
cat > "$work/ngx/nginx.conf" <<NGINX
daemon off; worker_processes 1; pid $work/ngx/nginx.pid; error_log $work/ngx/error.log;
events {}
http { access_log off; client_body_temp_path $work/ngx; proxy_temp_path $work/ngx;
  fastcgi_temp_path $work/ngx; uwsgi_temp_path $work/ngx; scgi_temp_path $work/ngx;
  server { listen 127.0.0.1:18999; location / { return 200 'ok'; } } }
NGINX
cat > "$work/probe-nginx.sh" <<PROBE
#!/usr/bin/env bash
nginx -c "$work/ngx/nginx.conf" -p "$work/ngx" &
pid=\$!
until curl -sf http://127.0.0.1:18999/ >/dev/null 2>&1; do sleep 0.001; done
kill \$pid; wait \$pid 2>/dev/null || true
PROBE
chmod +x "$work"/probe-*.sh
hyperfine -N --warmup 3 --runs 30 --export-markdown "$work/startup.md" \
  -n "litellmd (50 models) ready + /health/liveliness" "$work/probe-litellmd.sh" \
  -n "nginx ready + GET / (baseline)" "$work/probe-nginx.sh" \
  -n "litellmd (50 models) to its readiness line" "$work/probe-ready.sh" \
  -n "the probe's own cost (bash running true)" "$work/probe-true.sh" >/dev/null
cat "$work/startup.md"

"$build/bin/litellmd" --config "$work/config.yaml" --port 0 > "$work/out" 2>/dev/null &
pid=$!
until grep -q listening "$work/out" 2>/dev/null; do sleep 0.01; done
sleep 0.5
echo
echo "litellmd idle RSS with 50 models: $(awk '/VmRSS/{printf "%.1f MB", $2/1024}' /proc/$pid/status)"
kill $pid; wait $pid 2>/dev/null || true
