# shellcheck shell=bash
# Local RabbitMQ 3.10 node pec@localhost on 127.0.0.1:55672, for development
# and tests. Sourced after common.sh.
#
# The node is independent of the Debian system node: its own ports, its own
# epmd (127.0.0.1:54369), its own Erlang cookie (HOME=.pec/rabbitmq/home) and
# an empty rabbitmq-env.conf in place of /etc/rabbitmq/rabbitmq-env.conf.

RMQ_SBIN="${PEC_RABBITMQ_SBIN:-/usr/lib/rabbitmq/bin}"
RMQ_NODE="${PEC_RMQ_NODE:-pec@localhost}"
RMQ_HOST=127.0.0.1
RMQ_PORT="${PEC_RMQ_PORT:-55672}"
RMQ_DIST_PORT="${PEC_RMQ_DIST_PORT:-55673}"
RMQ_EPMD_PORT=54369
RMQ_VHOST=pec
RMQ_USER=pec
RMQ_BASE="${PEC_RMQ_BASE:-$PEC_DIR/rabbitmq}"
RMQ_PID_FILE="${PEC_RMQ_PID_FILE:-$PEC_RUN_DIR/rabbitmq.pid}"
RMQ_SERVER_LOG="${PEC_RMQ_SERVER_LOG:-$PEC_LOG_DIR/rabbitmq-server.log}"

# Environment of every RabbitMQ and Erlang command run here. The CLI tools
# start their own distribution listener (ports 55680 to 55699), so they also
# get the 127.0.0.1 binding.
RMQ_ENV=(
    "RABBITMQ_NODENAME=$RMQ_NODE"
    "RABBITMQ_NODE_IP_ADDRESS=$RMQ_HOST"
    "RABBITMQ_NODE_PORT=$RMQ_PORT"
    "RABBITMQ_DIST_PORT=$RMQ_DIST_PORT"
    "ERL_EPMD_ADDRESS=$RMQ_HOST"
    "ERL_EPMD_PORT=$RMQ_EPMD_PORT"
    "RABBITMQ_MNESIA_BASE=$RMQ_BASE/mnesia"
    "RABBITMQ_LOG_BASE=$RMQ_BASE/log"
    "RABBITMQ_CONFIG_FILE=$RMQ_BASE/rabbitmq.conf"
    "RABBITMQ_ADVANCED_CONFIG_FILE=$RMQ_BASE/advanced.config"
    "RABBITMQ_CONF_ENV_FILE=$RMQ_BASE/rabbitmq-env.conf"
    "RABBITMQ_ENABLED_PLUGINS_FILE=$RMQ_BASE/enabled_plugins"
    "RABBITMQ_PID_FILE=$RMQ_PID_FILE"
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
    "RABBITMQ_CTL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
    "RABBITMQ_CTL_DIST_PORT_MIN=55680"
    "RABBITMQ_CTL_DIST_PORT_MAX=55699"
    "HOME=$RMQ_BASE/home"
)

rmq_ensure_installed() {
    if [ ! -x "$RMQ_SBIN/rabbitmq-server" ]; then
        pec_ensure_apt_packages rabbitmq-server
    fi
    if [ ! -x "$RMQ_SBIN/rabbitmq-server" ]; then
        pec_die "rabbitmq-server introuvable dans $RMQ_SBIN. Installez le paquet rabbitmq-server ou définissez PEC_RABBITMQ_SBIN."
    fi
}

# Runs rabbitmqctl against our node. Every call is bounded, because the CLI
# can hang when the node is half started.
rmq_ctl() {
    (cd "$RMQ_BASE" && timeout 120 env "${RMQ_ENV[@]}" "$RMQ_SBIN/rabbitmqctl" -n "$RMQ_NODE" "$@")
}

# Prints the pid of our running node, or nothing.
rmq_running_pid() {
    local pid
    pid="$(pec_read_pid "$RMQ_PID_FILE")"
    if pec_pid_alive "$pid" && [ "$(ps -p "$pid" -o comm= 2>/dev/null)" = "beam.smp" ]; then
        printf '%s' "$pid"
    fi
}

rmq_write_config() {
    mkdir -p "$RMQ_BASE/mnesia" "$RMQ_BASE/log" "$RMQ_BASE/home"
    chmod 700 "$RMQ_BASE" "$RMQ_BASE/home"

    cat >"$RMQ_BASE/rabbitmq.conf" <<EOF
# Written by ops/lib/rabbitmq.sh at each start: edit that script, not this file.
listeners.tcp.default = $RMQ_HOST:$RMQ_PORT
EOF
    cat >"$RMQ_BASE/rabbitmq-env.conf" <<'EOF'
# Empty on purpose: without it the node would read /etc/rabbitmq/rabbitmq-env.conf.
EOF
    # No plugins: the management plugin is not needed.
    printf '[].\n' >"$RMQ_BASE/enabled_plugins"

    local cookie="$RMQ_BASE/home/.erlang.cookie"
    if [ ! -s "$cookie" ]; then
        (umask 077 && openssl rand -hex 20 >"$cookie")
    fi
    chmod 400 "$cookie"
}

# Waits until the RabbitMQ application runs on the node. await_startup fails
# at once while the node is not registered in epmd yet, hence the loop.
# LAUNCHER_PID, when given, is the process whose death ends the wait early.
rmq_wait_started() {
    local seconds="$1" launcher_pid="${2:-}"
    local deadline=$((SECONDS + seconds))
    while ! rmq_ctl -q await_startup >/dev/null 2>&1; do
        if [ -n "$launcher_pid" ] && ! pec_pid_alive "$launcher_pid"; then
            return 1
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            return 1
        fi
        sleep 1
    done
}

# Starts the node (or reuses the running one), then creates the vhost and the
# user. The user's password is reset from .pec/secrets at every start.
rmq_start() {
    rmq_ensure_installed

    local pid
    pid="$(rmq_running_pid)"
    if [ -n "$pid" ]; then
        if ! rmq_wait_started 120; then
            pec_show_log_tail "$RMQ_SERVER_LOG"
            pec_die "RabbitMQ tourne (pid $pid) mais ne répond pas après 120 s."
        fi
        pec_info "RabbitMQ : déjà démarré sur $RMQ_HOST:$RMQ_PORT (pid $pid), réutilisé."
    else
        if [ -f "$RMQ_PID_FILE" ]; then
            pec_info "RabbitMQ : fichier pid obsolète $RMQ_PID_FILE supprimé."
            rm -f "$RMQ_PID_FILE"
        fi
        local port
        for port in "$RMQ_PORT" "$RMQ_DIST_PORT"; do
            if pec_port_open "$RMQ_HOST" "$port"; then
                pec_die_port_in_use "$RMQ_HOST" "$port"
            fi
        done

        rmq_write_config
        # setsid detaches the node from the terminal, so that Ctrl-C on ops/run
        # does not reach it.
        (cd "$RMQ_BASE" && exec setsid env "${RMQ_ENV[@]}" "$RMQ_SBIN/rabbitmq-server" \
            >>"$RMQ_SERVER_LOG" 2>&1 </dev/null) &
        local launcher_pid=$!

        if ! rmq_wait_started 120 "$launcher_pid"; then
            pec_show_log_tail "$RMQ_SERVER_LOG"
            if ! pec_pid_alive "$launcher_pid"; then
                pec_die "RabbitMQ s'est arrêté pendant son démarrage (journaux du nœud : $RMQ_BASE/log)."
            fi
            pec_die "RabbitMQ n'a pas démarré en 120 s (journaux du nœud : $RMQ_BASE/log). Arrêtez-le avec ops/stop avant de réessayer."
        fi
        pec_info "RabbitMQ : démarré sur $RMQ_HOST:$RMQ_PORT (nœud $RMQ_NODE, pid $(rmq_running_pid))."
    fi

    rmq_provision
}

rmq_provision() {
    local password vhosts users
    password="$(pec_secret rabbitmq-password)"

    vhosts="$(rmq_ctl -q -s list_vhosts name)"
    if ! grep -qx "$RMQ_VHOST" <<<"$vhosts"; then
        rmq_ctl -q add_vhost "$RMQ_VHOST" >/dev/null
    fi

    # Without a password argument, add_user and change_password read it from
    # standard input, which keeps it out of the process list.
    users="$(rmq_ctl -q -s list_users | cut -f1)"
    if grep -qx "$RMQ_USER" <<<"$users"; then
        rmq_ctl -q change_password "$RMQ_USER" <<<"$password" >/dev/null
    else
        rmq_ctl -q add_user "$RMQ_USER" <<<"$password" >/dev/null
    fi
    rmq_ctl -q set_permissions -p "$RMQ_VHOST" "$RMQ_USER" '.*' '.*' '.*' >/dev/null
    if grep -qx guest <<<"$users"; then
        rmq_ctl -q delete_user guest >/dev/null
    fi
}

rmq_connection_uri() {
    local password
    password="$(pec_secret rabbitmq-password)"
    printf 'amqp://%s:%s@%s:%s/%s' "$RMQ_USER" "$password" "$RMQ_HOST" "$RMQ_PORT" "$RMQ_VHOST"
}

rmq_epmd_binary() {
    if command -v epmd >/dev/null 2>&1; then
        command -v epmd
        return 0
    fi
    local candidate
    for candidate in /usr/lib/erlang/erts-*/bin/epmd; do
        if [ -x "$candidate" ]; then
            printf '%s' "$candidate"
            return 0
        fi
    done
    return 1
}

# Stops the epmd that our node or rabbitmqctl started on port 54369. The
# system epmd (port 4369) is left alone.
rmq_stop_epmd() {
    if ! pec_port_open "$RMQ_HOST" "$RMQ_EPMD_PORT"; then
        return 0
    fi
    local epmd
    if ! epmd="$(rmq_epmd_binary)"; then
        pec_warn "epmd introuvable : l'epmd du port $RMQ_EPMD_PORT n'est pas arrêté."
        return 1
    fi
    if ERL_EPMD_PORT="$RMQ_EPMD_PORT" "$epmd" -kill >/dev/null 2>&1; then
        pec_info "RabbitMQ : epmd du port $RMQ_EPMD_PORT arrêté."
    else
        pec_warn "l'arrêt de l'epmd du port $RMQ_EPMD_PORT a échoué."
        return 1
    fi
}

rmq_stop() {
    rmq_stop_node
    rmq_stop_epmd
}

# Stops the node and leaves epmd running, for an extra node that shares it.
rmq_stop_node() {
    local pid
    pid="$(rmq_running_pid)"
    if [ -z "$pid" ]; then
        rm -f "$RMQ_PID_FILE"
        pec_info "RabbitMQ : déjà arrêté."
        return
    fi

    # `stop PIDFILE` returns once the Erlang VM has exited.
    if ! rmq_ctl -q stop "$RMQ_PID_FILE" >/dev/null 2>&1; then
        pec_warn "rabbitmqctl stop a échoué, envoi de SIGTERM au pid $pid."
        pec_kill_and_wait "$pid" 20
    fi
    rm -f "$RMQ_PID_FILE"
    pec_info "RabbitMQ : arrêté."
}
