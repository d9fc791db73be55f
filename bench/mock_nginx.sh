# Sourced by the bench scripts: a free port, the mock upstream they share (nginx answering
# OpenAI's recorded chat response with `return 200` from one worker).
#   write_mock_nginx_conf WORK ROOT PORT [EXTRA]: WORK/nginx.conf, EXTRA inside its http block
#   start_mock_nginx WORK ROOT PORT [EXTRA]: the same, then nginx started (WORK/nginx.pid)

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

write_mock_nginx_conf() {
  local work=$1 root=$2 port=$3 extra=${4:-} body
  body=$(tr -d '\n' < "$root/../shared/providers/openai/chat.response.json" | sed 's/  */ /g; s/'"'"'/\\'"'"'/g')
  mkdir -p "$work/tmp"
  cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    location / { default_type application/json; return 200 '$body'; }
  }
$extra
}
NGINX
}

start_mock_nginx() {
  write_mock_nginx_conf "$@"
  nginx -c "$1/nginx.conf" -p "$1"
}

# WORK/config.yaml: one `gpt-4o` group on the mock at PORT, the bench's master key, then EXTRA
# (more general_settings lines, or sections after them).
write_bench_config() {
  local work=$1 port=$2 extra=${3:-}
  cat > "$work/config.yaml" <<YAML
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o-2024-08-06
      api_base: http://127.0.0.1:$port/v1
      api_key: sk-upstream
general_settings:
  master_key: sk-bench-master
$extra
YAML
}
