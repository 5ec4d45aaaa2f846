#!/usr/bin/env bash
# Start the local BigQuery emulator on 127.0.0.1, run the given command with
# AELP_BQ_EMULATOR pointing at it, and stop the emulator afterwards, whatever happens.
set -euo pipefail
venv=${BQEMU_VENV:-.venv-bqemulator}
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
# Free ports unless given, so two runs on one machine never share an emulator.
rest_port=${BQEMU_PORT:-$(free_port)}
grpc_port=${BQEMU_GRPC_PORT:-$(free_port)}
log_dir=${BQEMU_LOG_DIR:-logs}
mkdir -p "$log_dir"

"$venv/bin/bqemulator" start --rest-host 127.0.0.1 --rest-port "$rest_port" \
  --grpc-host 127.0.0.1 --grpc-port "$grpc_port" --project test-project \
  >"$log_dir/bqemulator.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 60); do
  if curl -sf "http://127.0.0.1:$rest_port/healthz" >/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "bqemulator exited during start-up; see $log_dir/bqemulator.log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -sf "http://127.0.0.1:$rest_port/healthz" >/dev/null || {
  echo "bqemulator did not become healthy on port $rest_port" >&2
  exit 1
}

export AELP_BQ_EMULATOR="http://127.0.0.1:$rest_port"
"$@"
