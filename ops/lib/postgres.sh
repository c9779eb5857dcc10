# shellcheck shell=bash
# Local PostgreSQL 15 cluster on 127.0.0.1:55432, for development and tests.
# Sourced after common.sh.
#
# Layout: data in .pec/postgres, unix socket in .pec/run/postgres, log in
# .pec/log/postgres.log. PostgreSQL refuses to run as root, so under root the
# server runs as the `postgres` user (or a `pec` system user created here).
# When that user cannot traverse the repository path (a clone under /root, for
# example), the three paths are symlinks into /var/lib/pec/<hash of the path>.

PG_BIN="${PEC_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_HOST=127.0.0.1
PG_PORT=55432
PG_ROLE=pec
PG_DATABASE=pec

# Set by pg_locate and pg_prepare_layout.
PG_OS_USER=""
PG_DATA_DIR=""
PG_SOCKET_DIR=""
PG_LOG_FILE=""
# Folder outside the repository that contains the cluster. Empty when the
# cluster is in .pec/ itself.
PG_EXTERNAL_BASE=""

pg_ensure_installed() {
    if [ ! -x "$PG_BIN/pg_ctl" ]; then
        pec_ensure_apt_packages postgresql-15
    fi
    if [ ! -x "$PG_BIN/pg_ctl" ]; then
        pec_die "pg_ctl introuvable dans $PG_BIN. Installez PostgreSQL 15 (paquet postgresql-15) ou définissez PEC_PG_BIN."
    fi
}

# Runs a command as the cluster owner. The working directory is /, because
# initdb and pg_ctl fail when they cannot read the current directory.
pg_as_owner() {
    if [ "$PG_OS_USER" = "$(id -un)" ]; then
        (cd / && "$@")
    else
        (cd / && runuser -u "$PG_OS_USER" -- "$@")
    fi
}

pg_choose_os_user() {
    if ! pec_is_root; then
        PG_OS_USER="$(id -un)"
    elif id -u postgres >/dev/null 2>&1; then
        PG_OS_USER=postgres
    else
        if ! id -u pec >/dev/null 2>&1; then
            pec_info "PostgreSQL : création de l'utilisateur système « pec », car PostgreSQL ne démarre pas en root."
            useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin pec
        fi
        PG_OS_USER=pec
    fi
}

pg_path_hash() {
    printf '%s' "$PEC_ROOT" | sha256sum | cut -c1-16
}

# Sets the socket and log paths from PG_EXTERNAL_BASE. A unix socket path is
# limited to 107 bytes, so a socket folder in a deep clone moves to /tmp.
pg_set_derived_paths() {
    if [ -n "$PG_EXTERNAL_BASE" ]; then
        PG_SOCKET_DIR="$PG_EXTERNAL_BASE/run"
        PG_LOG_FILE="$PG_EXTERNAL_BASE/postgres.log"
    else
        PG_SOCKET_DIR="$PEC_RUN_DIR/postgres"
        PG_LOG_FILE="$PEC_LOG_DIR/postgres.log"
    fi

    local socket_path="$PG_SOCKET_DIR/.s.PGSQL.$PG_PORT"
    if [ "${#socket_path}" -gt 100 ]; then
        PG_SOCKET_DIR="/tmp/pec-$(pg_path_hash)-postgres"
    fi
}

# Finds the cluster paths without creating anything (used by ops/stop too).
pg_locate() {
    local link="$PEC_DIR/postgres"
    PG_EXTERNAL_BASE=""
    if [ -L "$link" ]; then
        PG_DATA_DIR="$(readlink -m "$link")"
        PG_EXTERNAL_BASE="$(dirname "$PG_DATA_DIR")"
    else
        PG_DATA_DIR="$link"
    fi
    pg_set_derived_paths
}

pg_owner_can_traverse() {
    if [ "$PG_OS_USER" = "$(id -un)" ]; then
        return 0
    fi
    pg_as_owner test -x "$PEC_RUN_DIR" && pg_as_owner test -x "$PEC_LOG_DIR"
}

# Makes PATH a symlink to TARGET unless PATH is TARGET itself.
pg_link() {
    local target="$1" path="$2"
    if [ "$target" != "$path" ]; then
        ln -sfn "$target" "$path"
    fi
}

# Creates the data, socket and log paths with the right owner, choosing the
# folder outside the repository when the owner cannot reach .pec/.
pg_prepare_layout() {
    pg_locate
    if [ -f "$PG_DATA_DIR/PG_VERSION" ]; then
        PG_OS_USER="$(stat -c %U "$PG_DATA_DIR")"
    else
        pg_choose_os_user
    fi

    if [ -z "$PG_EXTERNAL_BASE" ] && ! pg_owner_can_traverse; then
        if [ -e "$PEC_DIR/postgres" ]; then
            pec_die "l'utilisateur « $PG_OS_USER » ne peut plus traverser $PEC_ROOT, alors que le cluster est dans $PEC_DIR/postgres. Rendez le chemin traversable (chmod o+x sur chaque dossier parent) ou supprimez $PEC_DIR/postgres pour recréer le cluster ailleurs."
        fi
        PG_EXTERNAL_BASE="/var/lib/pec/$(pg_path_hash)"
        mkdir -p "$PG_EXTERNAL_BASE"
        chmod 755 /var/lib/pec "$PG_EXTERNAL_BASE"
        ln -sfn "$PG_EXTERNAL_BASE/postgres" "$PEC_DIR/postgres"
        pg_locate
        if [ -f "$PG_DATA_DIR/PG_VERSION" ]; then
            PG_OS_USER="$(stat -c %U "$PG_DATA_DIR")"
        fi
    fi
    if [ -n "$PG_EXTERNAL_BASE" ]; then
        pec_info "PostgreSQL : l'utilisateur « $PG_OS_USER » ne peut pas traverser $PEC_ROOT, donc les données sont dans $PG_DATA_DIR (lien symbolique .pec/postgres)."
    fi

    install -d -m 700 -o "$PG_OS_USER" "$PG_DATA_DIR" "$PG_SOCKET_DIR"
    pg_link "$PG_SOCKET_DIR" "$PEC_RUN_DIR/postgres"
    if [ ! -e "$PG_LOG_FILE" ]; then
        install -m 640 -o "$PG_OS_USER" /dev/null "$PG_LOG_FILE"
    fi
    pg_link "$PG_LOG_FILE" "$PEC_LOG_DIR/postgres.log"
}

pg_initdb_if_needed() {
    if [ -f "$PG_DATA_DIR/PG_VERSION" ]; then
        return 0
    fi

    # C.UTF-8 keeps byte-order collation but classifies accented letters, so
    # that upper() and ILIKE work on French text. Older systems lack it.
    local locale_options=(--no-locale)
    if locale -a 2>/dev/null | grep -Eqix 'c\.utf-?8'; then
        locale_options=(--locale=C.UTF-8)
    fi

    pec_info "PostgreSQL : création du cluster dans $PG_DATA_DIR"
    local initdb_log="$PEC_LOG_DIR/postgres-initdb.log"
    if ! pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA_DIR" --encoding=UTF8 "${locale_options[@]}" \
        --auth-host=scram-sha-256 --auth-local=peer >"$initdb_log" 2>&1; then
        pec_show_log_tail "$initdb_log"
        pec_die "initdb a échoué pour $PG_DATA_DIR."
    fi
    printf "\ninclude = 'pec.conf'\n" >>"$PG_DATA_DIR/postgresql.conf"
}

# Writes the settings that ops/ owns into pec.conf, included by
# postgresql.conf, so that a moved repository gets its new socket path.
pg_write_config() {
    local socket_dir="${PG_SOCKET_DIR//\'/\'\'}"
    cat >"$PG_DATA_DIR/pec.conf" <<EOF
# Written by ops/lib/postgres.sh at each start: edit that script, not this file.
listen_addresses = '$PG_HOST'
port = $PG_PORT
unix_socket_directories = '$socket_dir'
password_encryption = 'scram-sha-256'
# Test assemblies run in parallel, and Npgsql keeps one pool per connection
# string, so one per test database: the default of 100 can run short.
max_connections = 200
EOF
    if pec_is_root; then
        chown "$PG_OS_USER:" "$PG_DATA_DIR/pec.conf"
    fi
}

pg_is_running() {
    [ -f "$PG_DATA_DIR/PG_VERSION" ] &&
        pg_as_owner "$PG_BIN/pg_ctl" status -D "$PG_DATA_DIR" >/dev/null 2>&1
}

pg_wait_ready() {
    local deadline=$((SECONDS + $1))
    while ! "$PG_BIN/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT" -t 2; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            return 1
        fi
        sleep 1
    done
}

# Starts the cluster (or reuses the running one), then creates the `pec` role
# and database. The role's password is reset from .pec/secrets at every start,
# so a regenerated secret takes effect on an existing cluster.
pg_start() {
    pg_ensure_installed
    pg_prepare_layout

    if pg_is_running; then
        if ! pg_wait_ready 60; then
            pec_show_log_tail "$PG_LOG_FILE"
            pec_die "PostgreSQL tourne mais ne répond pas sur $PG_HOST:$PG_PORT après 60 s."
        fi
        pec_info "PostgreSQL : déjà démarré sur $PG_HOST:$PG_PORT, réutilisé."
    else
        if pec_port_open "$PG_HOST" "$PG_PORT"; then
            pec_die_port_in_use "$PG_HOST" "$PG_PORT"
        fi
        pg_initdb_if_needed
        pg_write_config
        if ! pg_as_owner "$PG_BIN/pg_ctl" start -D "$PG_DATA_DIR" -l "$PG_LOG_FILE" -w -t 60 -s; then
            pec_show_log_tail "$PG_LOG_FILE"
            pec_die "le démarrage de PostgreSQL a échoué."
        fi
        pec_info "PostgreSQL : démarré sur $PG_HOST:$PG_PORT (données : $PG_DATA_DIR)."
    fi

    pg_provision
}

pg_provision() {
    local password
    password="$(pec_secret postgres-password)"

    # Peer authentication over the unix socket: the OS user is the superuser.
    # The heredoc keeps the password out of the process list.
    if ! pg_as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$PG_PORT" \
        -d postgres >/dev/null <<SQL; then
SELECT 'CREATE ROLE $PG_ROLE' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') \gexec
ALTER ROLE $PG_ROLE WITH LOGIN CREATEDB NOSUPERUSER PASSWORD '$password';
SELECT 'CREATE DATABASE $PG_DATABASE OWNER $PG_ROLE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DATABASE') \gexec
SQL
        pec_die "la création du rôle « $PG_ROLE » ou de la base « $PG_DATABASE » a échoué."
    fi

    # Checks the path the gateway and the tests use: TCP with SCRAM.
    if ! PGPASSWORD="$password" "$PG_BIN/psql" -X -q -w -h "$PG_HOST" -p "$PG_PORT" -U "$PG_ROLE" \
        -d "$PG_DATABASE" -c 'SELECT 1' >/dev/null; then
        pec_die "la connexion TCP à PostgreSQL avec le rôle « $PG_ROLE » a échoué."
    fi
}

pg_connection_string() {
    local password
    password="$(pec_secret postgres-password)"
    printf 'Host=%s;Port=%s;Username=%s;Password=%s;Database=%s' \
        "$PG_HOST" "$PG_PORT" "$PG_ROLE" "$password" "$PG_DATABASE"
}

pg_stop() {
    pg_locate
    if [ ! -f "$PG_DATA_DIR/PG_VERSION" ]; then
        pec_info "PostgreSQL : aucun cluster local, rien à arrêter."
        return 0
    fi
    if [ ! -x "$PG_BIN/pg_ctl" ]; then
        pec_warn "pg_ctl introuvable dans $PG_BIN : PostgreSQL n'est pas arrêté."
        return 1
    fi

    PG_OS_USER="$(stat -c %U "$PG_DATA_DIR")"
    if ! pg_is_running; then
        pec_info "PostgreSQL : déjà arrêté."
        return 0
    fi
    if ! pg_as_owner "$PG_BIN/pg_ctl" stop -D "$PG_DATA_DIR" -m fast -w -t 60 -s; then
        pec_warn "l'arrêt de PostgreSQL a échoué (voir $PG_LOG_FILE)."
        return 1
    fi
    pec_info "PostgreSQL : arrêté."
}
