# shellcheck shell=bash
# Paths and helpers shared by ops/run, ops/stop and ops/test.
# Sourced, never executed. The caller sets PEC_ROOT to the repository root
# and enables `set -euo pipefail` before sourcing.

PEC_DIR="$PEC_ROOT/.pec"
PEC_RUN_DIR="$PEC_DIR/run"
PEC_LOG_DIR="$PEC_DIR/log"
PEC_SECRETS_DIR="$PEC_DIR/secrets"
PEC_PKI_DIR="$PEC_DIR/pki"
PEC_PAYLOADS_DIR="$PEC_DIR/payloads"

pec_info() {
    printf '%s\n' "$*"
}

pec_warn() {
    printf 'Attention : %s\n' "$*" >&2
}

pec_die() {
    printf 'Erreur : %s\n' "$*" >&2
    exit 1
}

pec_is_root() {
    [ "$(id -u)" -eq 0 ]
}

# Creates the .pec/ tree. The folders that the PostgreSQL user must traverse
# (.pec, run, log) get 755 explicitly, because root's umask may be 077.
pec_ensure_layout() {
    mkdir -p "$PEC_DIR" "$PEC_RUN_DIR" "$PEC_LOG_DIR" "$PEC_SECRETS_DIR" \
        "$PEC_PKI_DIR" "$PEC_PAYLOADS_DIR"
    chmod 755 "$PEC_DIR" "$PEC_RUN_DIR" "$PEC_LOG_DIR" "$PEC_PKI_DIR"
    chmod 700 "$PEC_SECRETS_DIR" "$PEC_PAYLOADS_DIR"
}

# Succeeds when something accepts TCP connections on HOST:PORT within 2 s.
pec_port_open() {
    # shellcheck disable=SC2016 # $1 and $2 expand in the child bash.
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# Succeeds when PID runs. A zombie (an exited child not yet reaped by this
# shell) counts as dead, so that start-up loops notice a crashed server.
pec_pid_alive() {
    [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
    local state
    state="$(ps -o stat= -p "$1" 2>/dev/null || true)"
    [ -n "$state" ] && [[ "$state" != Z* ]]
}

# Sends SIGTERM to PID, waits up to SECONDS for it to exit, then sends SIGKILL.
pec_kill_and_wait() {
    local pid="$1" seconds="$2"
    kill -TERM "$pid" 2>/dev/null || return 0
    local deadline=$((SECONDS + seconds))
    while pec_pid_alive "$pid"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            pec_warn "le processus $pid tourne encore après $seconds s, envoi de SIGKILL."
            kill -KILL "$pid" 2>/dev/null || true
            sleep 1
            break
        fi
        sleep 0.5
    done
}

# Prints the pid stored in FILE, or nothing when the file is missing or does
# not contain a number.
pec_read_pid() {
    local pid=""
    if [ -f "$1" ]; then
        read -r pid <"$1" || true
    fi
    if [[ "$pid" =~ ^[0-9]+$ ]]; then
        printf '%s' "$pid"
    fi
}

# Prints the password stored in .pec/secrets/NAME, generating it on first use.
# Hex only, so that it needs no quoting in SQL, URIs or connection strings.
pec_secret() {
    local file="$PEC_SECRETS_DIR/$1"
    local value=""
    if [ ! -s "$file" ]; then
        (umask 077 && openssl rand -hex 24 >"$file")
    fi
    chmod 600 "$file"
    read -r value <"$file" || true
    if [[ ! "$value" =~ ^[A-Za-z0-9]+$ ]]; then
        pec_die "le secret $file est invalide (lettres et chiffres seulement). Supprimez-le pour en générer un nouveau."
    fi
    printf '%s' "$value"
}

pec_apt_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# Installs the given Debian packages when they are missing. apt-get update runs
# only when something must be installed, because it is slow and needs the network.
pec_ensure_apt_packages() {
    local missing=()
    local package
    for package in "$@"; do
        if ! pec_apt_installed "$package"; then
            missing+=("$package")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi

    if ! pec_is_root; then
        pec_die "paquets Debian manquants : ${missing[*]}. Installez-les avec : sudo apt-get install -y ${missing[*]}"
    fi
    pec_info "Installation des paquets Debian manquants : ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

# Ends the script because HOST:PORT is taken by a process that is not ours.
# Every clone of the repository uses the same ports, so the usual cause is
# another clone whose servers still run.
pec_die_port_in_use() {
    pec_die "le port $1:$2 est déjà utilisé par un autre processus (voir : ss -ltnp 'sport = :$2'). Si c'est un autre clone de PEC, arrêtez-le avec son ops/stop."
}

# Prints the last 40 lines of a log file to stderr, for failure reports.
pec_show_log_tail() {
    if [ -f "$1" ]; then
        printf '%s\n' "--- 40 dernières lignes de $1 ---" >&2
        tail -n 40 "$1" >&2
        printf '%s\n' "--- fin de $1 ---" >&2
    fi
}

# Succeeds when a non-empty connection string NAME is set in the environment
# (ConnectionStrings__NAME) or in the gateway's appsettings.json or
# appsettings.<environment>.json, the two files that the gateway itself loads.
# Configuration keys are case-insensitive in ASP.NET Core, so the lookup is too.
pec_connection_string_configured() {
    local name="$1"
    local variable="ConnectionStrings__$name"
    if [ -n "${!variable:-}" ]; then
        return 0
    fi

    local environment="${ASPNETCORE_ENVIRONMENT:-Development}"
    local file
    for file in "$PEC_ROOT/src/Pec.Gateway/appsettings.json" \
        "$PEC_ROOT/src/Pec.Gateway/appsettings.$environment.json"; do
        if [ -f "$file" ] && pec_json_has_connection_string "$file" "$name"; then
            return 0
        fi
    done
    return 1
}

# Succeeds when the JSON file FILE has a non-empty ConnectionStrings:NAME.
# ASP.NET Core accepts comments and trailing commas in appsettings files, so the
# python3 parser strips them first. Without python3, a grep on the key is the
# fallback, which cannot tell which object the key sits in.
pec_json_has_connection_string() {
    local file="$1" name="$2"
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$file" "$name" <<'PYTHON'
import json
import re
import sys

path, name = sys.argv[1], sys.argv[2].lower()
with open(path, encoding="utf-8-sig") as handle:
    text = handle.read()

# Remove // and /* */ comments outside strings, then trailing commas.
token = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.S)
text = token.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)
text = re.sub(r",(\s*[}\]])", r"\1", text)

try:
    settings = json.loads(text)
except ValueError:
    sys.exit(1)

def child(node, key):
    if isinstance(node, dict):
        for k, v in node.items():
            if k.lower() == key:
                return v
    return None

value = child(child(settings, "connectionstrings"), name)
sys.exit(0 if isinstance(value, str) and value.strip() else 1)
PYTHON
    else
        grep -Eiq "\"$name\"[[:space:]]*:[[:space:]]*\"[^\"[:space:]]" "$file"
    fi
}
