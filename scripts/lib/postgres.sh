# shellcheck shell=bash disable=SC2034  # CONNECTION_URL is read by the scripts that source this
# Shared by scripts/backup and scripts/restore (sourced, not run).

# pg_dump/pg_restore from PG_BIN_DIR when set (e.g. /usr/lib/postgresql/16/bin,
# to match a newer server), else from PATH.
pg_tool() {
  local name="$1"
  if [ -n "${PG_BIN_DIR:-}" ]; then
    if [ ! -x "$PG_BIN_DIR/$name" ]; then
      echo "$name not found in PG_BIN_DIR=$PG_BIN_DIR" >&2
      return 1
    fi
    printf '%s\n' "$PG_BIN_DIR/$name"
  elif command -v "$name" >/dev/null 2>&1; then
    command -v "$name"
  else
    echo "$name not found: install the Postgres client (apt-get install postgresql-client) or set PG_BIN_DIR" >&2
    return 1
  fi
}

# Splits DATABASE_URL so the password travels in PGPASSWORD, never on a command
# line (where ps shows it) nor in a message. Sets CONNECTION_URL, the URL
# without its password, which is safe to print.
split_database_url() {
  local url="$1"
  CONNECTION_URL="$url"
  if [[ "$url" =~ ^(postgres(ql)?://)([^@/?#]*)@(.*)$ ]]; then
    local scheme="${BASH_REMATCH[1]}" userinfo="${BASH_REMATCH[3]}" rest="${BASH_REMATCH[4]}"
    if [[ "$userinfo" == *:* ]]; then
      local encoded="${userinfo#*:}"
      encoded="${encoded//\\/\\\\}"
      PGPASSWORD="$(printf '%b' "${encoded//%/\\x}")"
      export PGPASSWORD
      CONNECTION_URL="${scheme}${userinfo%%:*}@${rest}"
    fi
  elif [[ ! "$url" =~ ^postgres(ql)?:// ]]; then
    echo "DATABASE_URL must start with postgres:// or postgresql://" >&2
    return 1
  fi
}

# docker compose, for the stack defined beside this folder.
compose() {
  docker compose -f "$COUNCIL_ROOT/docker-compose.yml" "$@"
}
