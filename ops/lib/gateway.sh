# shellcheck shell=bash
# Build, start and stop of the gateway (src/Pec.Gateway). Sourced after
# common.sh.

GW_PROJECT="$PEC_ROOT/src/Pec.Gateway/Pec.Gateway.csproj"
GW_DLL="$PEC_ROOT/src/Pec.Gateway/bin/Release/net10.0/Pec.Gateway.dll"
GW_PID_FILE="$PEC_RUN_DIR/gateway.pid"
GW_LOG_FILE="$PEC_LOG_DIR/gateway.log"
GW_START_SECONDS=120
GW_STOP_SECONDS=20
# ASPNETCORE_URLS may list several URLs separated by semicolons.
GW_URLS="${PEC_URL:-https://127.0.0.1:8443}"
# Set by gw_parse_url.
GW_HOST=""
GW_PORT=""

# Prints the first URL of GW_URLS with a wildcard host (*, +, 0.0.0.0, [::])
# replaced by 127.0.0.1, so that curl can reach it.
gw_base_url() {
    local url="${GW_URLS%%;*}"
    url="${url%/}"
    if [[ "$url" =~ ^(https?)://(\*|\+|0\.0\.0\.0|\[::\])(:[0-9]+)?$ ]]; then
        url="${BASH_REMATCH[1]}://127.0.0.1${BASH_REMATCH[3]}"
    fi
    printf '%s' "$url"
}

gw_health_url() {
    printf '%s/health/ready' "$(gw_base_url)"
}

# Sets GW_HOST and GW_PORT from the first URL, with the scheme's default port.
# It sets variables instead of printing them, so that pec_die ends the script
# rather than a command substitution.
gw_parse_url() {
    local url
    url="$(gw_base_url)"
    if [[ ! "$url" =~ ^(https?)://(\[[^]]+\]|[^:/]+)(:([0-9]+))?$ ]]; then
        pec_die "URL de la passerelle invalide : « $url » (attendu : https://HÔTE:PORT, par exemple https://127.0.0.1:8443)."
    fi
    GW_HOST="${BASH_REMATCH[2]}"
    GW_HOST="${GW_HOST//[\[\]]/}"
    GW_PORT="${BASH_REMATCH[4]}"
    if [ -z "$GW_PORT" ]; then
        GW_PORT=443
        if [ "${BASH_REMATCH[1]}" = http ]; then
            GW_PORT=80
        fi
    fi
}

gw_health_ok() {
    curl -fsS --max-time 5 --cacert "$PEC_PKI_DIR/ca.crt" "$(gw_health_url)" >/dev/null 2>&1
}

# Prints the pid of our running gateway, or nothing. The command line check
# guards against a pid reused by another process since the pid file was written.
gw_running_pid() {
    local pid
    pid="$(pec_read_pid "$GW_PID_FILE")"
    if pec_pid_alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'Pec\.Gateway\.dll'; then
        printf '%s' "$pid"
    fi
}

# Waits up to GW_START_SECONDS for /health/ready. Fails early when PID exits.
gw_wait_healthy() {
    local pid="$1"
    local deadline=$((SECONDS + GW_START_SECONDS))
    while ! gw_health_ok; do
        if ! pec_pid_alive "$pid"; then
            return 1
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            return 1
        fi
        sleep 1
    done
}

gw_build() {
    if [ ! -f "$GW_PROJECT" ]; then
        pec_die "projet introuvable : $GW_PROJECT"
    fi
    pec_info "Passerelle : compilation (dotnet build -c Release)…"
    if ! dotnet build "$GW_PROJECT" -c Release -v q --nologo; then
        pec_die "la compilation de la passerelle a échoué (voir les erreurs ci-dessus)."
    fi
    if [ ! -f "$GW_DLL" ]; then
        pec_die "la compilation n'a pas produit $GW_DLL."
    fi
}

# Starts the gateway in the background unless ours already runs. The caller
# passes the connection strings of the local servers; an empty one is not set,
# so that the gateway reads its own configuration.
gw_start() {
    local postgres_connection="$1" rabbitmq_connection="$2"
    gw_parse_url

    local pid
    pid="$(gw_running_pid)"
    if [ -n "$pid" ]; then
        if ! gw_wait_healthy "$pid"; then
            pec_show_log_tail "$GW_LOG_FILE"
            pec_die "la passerelle tourne (pid $pid) mais $(gw_health_url) ne répond pas après $GW_START_SECONDS s."
        fi
        pec_info "Passerelle : déjà démarrée (pid $pid), réutilisée sans recompilation (ops/stop puis ops/run pour prendre en compte des changements de code)."
        return 0
    fi
    if [ -f "$GW_PID_FILE" ]; then
        pec_info "Passerelle : fichier pid obsolète $GW_PID_FILE supprimé."
        rm -f "$GW_PID_FILE"
    fi
    if pec_port_open "$GW_HOST" "$GW_PORT"; then
        pec_die_port_in_use "$GW_HOST" "$GW_PORT"
    fi

    gw_build

    local environment=(
        "ASPNETCORE_URLS=$GW_URLS"
        "ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}"
        "Pec__Tls__CertificatePath=$PEC_PKI_DIR/gateway.crt"
        "Pec__Tls__KeyPath=$PEC_PKI_DIR/gateway.key"
        "Pec__ClientAuth__TrustedCaPath=$PEC_PKI_DIR/ca.crt"
        "Pec__Seal__CertificatePath=$PEC_PKI_DIR/seal.crt"
        "Pec__Seal__KeyPath=$PEC_PKI_DIR/seal.key"
        "Pec__Registry__Path=$PEC_ROOT/ops/registry.json"
        "Pec__Registry__CertificateDirectory=$PEC_PKI_DIR"
        "Pec__Payloads__Directory=$PEC_PAYLOADS_DIR"
        # PEC's client certificate towards recipients' HTTPS endpoints (push delivery).
        "Pec__Delivery__ClientCertificatePath=$PEC_PKI_DIR/delivery.crt"
        "Pec__Delivery__ClientKeyPath=$PEC_PKI_DIR/delivery.key"
        # Development trust for signed flow types: the development CA anchors RGS**,
        # and its CRL is checked offline. Real deployments name each level's CAs.
        "Pec__Signatures__Levels__RGS**__Anchors__0__CertificatePath=$PEC_PKI_DIR/ca.crt"
        "Pec__Signatures__CrlPaths__0=$PEC_PKI_DIR/ca.crl"
        "Pec__Signatures__TsaAnchorPaths__0=$PEC_PKI_DIR/ca.crt"
        # Receipts are upgraded to XAdES B-T with tokens of the development TSA (ops/lib/tsa.sh).
        "Pec__Timestamping__Url=$TSA_URL"
        "Pec__Timestamping__TrustedTsaCertificatePath=$PEC_PKI_DIR/ca.crt"
    )
    if [ -n "$postgres_connection" ]; then
        environment+=("ConnectionStrings__Postgres=$postgres_connection")
    fi
    if [ -n "$rabbitmq_connection" ]; then
        environment+=("ConnectionStrings__RabbitMq=$rabbitmq_connection")
    fi

    # The working directory is the project folder, as with `dotnet run`,
    # because ASP.NET Core loads appsettings*.json from there. setsid keeps
    # Ctrl-C on ops/run from reaching the gateway, and the pid stays the
    # dotnet process because env and setsid exec in place.
    # The previous run's log is kept beside, so that the failure report below
    # shows only this start.
    if [ -f "$GW_LOG_FILE" ]; then
        mv -f "$GW_LOG_FILE" "$GW_LOG_FILE.previous"
    fi
    (cd "$PEC_ROOT/src/Pec.Gateway" && exec setsid env "${environment[@]}" dotnet "$GW_DLL" \
        >>"$GW_LOG_FILE" 2>&1 </dev/null) &
    pid=$!
    printf '%s\n' "$pid" >"$GW_PID_FILE"

    if ! gw_wait_healthy "$pid"; then
        pec_show_log_tail "$GW_LOG_FILE"
        if pec_pid_alive "$pid"; then
            # A gateway that is not ready in time is stopped, so that the next
            # ops/run starts from a clean state.
            pec_kill_and_wait "$pid" "$GW_STOP_SECONDS"
            rm -f "$GW_PID_FILE"
            pec_die "$(gw_health_url) ne répond pas après $GW_START_SECONDS s. La passerelle a été arrêtée."
        fi
        rm -f "$GW_PID_FILE"
        pec_die "la passerelle s'est arrêtée pendant son démarrage (journal : $GW_LOG_FILE)."
    fi
    pec_info "Passerelle : démarrée sur $(gw_base_url) (pid $pid)."
}

gw_stop() {
    local pid
    pid="$(gw_running_pid)"
    if [ -z "$pid" ]; then
        if [ -f "$GW_PID_FILE" ]; then
            rm -f "$GW_PID_FILE"
        fi
        pec_info "Passerelle : déjà arrêtée."
        return 0
    fi
    pec_kill_and_wait "$pid" "$GW_STOP_SECONDS"
    rm -f "$GW_PID_FILE"
    pec_info "Passerelle : arrêtée."
}
