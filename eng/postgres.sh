#!/usr/bin/env bash
# Helpers to run a private PostgreSQL from the machine's binaries (installed with apt-get when missing).
# Sourced by eng/run and eng/test.

pg_bin_dir() {
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

pg_ensure_binaries() {
  if ! pg_bin_dir >/dev/null; then
    echo "PostgreSQL binaries not found; installing them with apt-get" >&2
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    else
      sudo apt-get update -qq >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
  fi
  PG_BIN=$(pg_bin_dir) || { echo "PostgreSQL binaries are still missing" >&2; return 1; }
  export PG_BIN
}

# Runs a command as the owner of the cluster: initdb refuses to run as root.
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    su postgres -s /bin/bash -c "$*"
  else
    bash -c "$*"
  fi
}

pg_free_port() {
  python3 - <<'PY' 2>/dev/null && return 0
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
  # Without python3 (a bare CI image): probe random high ports until one refuses a connection.
  local port i
  for i in $(seq 1 100); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found on 127.0.0.1" >&2
  return 1
}

# pg_start DIR PORT: initialises DIR if needed and starts a server on 127.0.0.1:PORT (trust auth, user postgres).
pg_start() {
  local dir=$1 port=$2
  pg_ensure_binaries || return 1
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$dir"
    # The owner must be able to reach the directory through its parents.
    local p=$dir
    while [ "$p" != "/" ]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null || true; done
  fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    pg_as_owner "'$PG_BIN/initdb' -D '$dir' -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null" || return 1
    cat >>"$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 300
shared_buffers = 256MB
fsync = on
synchronous_commit = on
CONF
  fi
  pg_as_owner "'$PG_BIN/pg_ctl' -D '$dir' -o '-p $port' -l '$dir/server.log' -w -t 60 start >/dev/null" || {
    cat "$dir/server.log" >&2; return 1; }
}

pg_stop() {
  local dir=$1
  [ -f "$dir/postmaster.pid" ] || return 0
  pg_as_owner "'$PG_BIN/pg_ctl' -D '$dir' -m fast -w stop >/dev/null" || true
}
