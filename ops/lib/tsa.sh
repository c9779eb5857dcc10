# shellcheck shell=bash
# Build, start and stop of the development time-stamping authority
# (src/Pec.Tsa, RFC 3161 over HTTP on 127.0.0.1). Sourced after common.sh.

TSA_PROJECT="$PEC_ROOT/src/Pec.Tsa/Pec.Tsa.csproj"
TSA_DLL="$PEC_ROOT/src/Pec.Tsa/bin/Release/net10.0/Pec.Tsa.dll"
TSA_PID_FILE="$PEC_RUN_DIR/tsa.pid"
TSA_LOG_FILE="$PEC_LOG_DIR/tsa.log"
TSA_PORT=8318
TSA_URL="http://127.0.0.1:$TSA_PORT"
TSA_START_SECONDS=60

tsa_running_pid() {
    local pid
    pid="$(pec_read_pid "$TSA_PID_FILE")"
    if pec_pid_alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'Pec\.Tsa\.dll'; then
        printf '%s' "$pid"
    fi
}

tsa_health_ok() {
    curl -fsS --max-time 5 "$TSA_URL/health" >/dev/null 2>&1
}

tsa_start() {
    local pid
    pid="$(tsa_running_pid)"
    if [ -n "$pid" ]; then
        pec_info "Horodatage : déjà démarré (pid $pid), réutilisé."
        return 0
    fi
    rm -f "$TSA_PID_FILE"
    if pec_port_open 127.0.0.1 "$TSA_PORT"; then
        pec_die_port_in_use 127.0.0.1 "$TSA_PORT"
    fi

    pec_info "Horodatage : compilation (dotnet build -c Release)…"
    if ! dotnet build "$TSA_PROJECT" -c Release -v q --nologo; then
        pec_die "la compilation de l'autorité d'horodatage a échoué (voir les erreurs ci-dessus)."
    fi

    if [ -f "$TSA_LOG_FILE" ]; then
        mv -f "$TSA_LOG_FILE" "$TSA_LOG_FILE.previous"
    fi
    (cd "$PEC_ROOT/src/Pec.Tsa" && exec setsid env \
        "ASPNETCORE_URLS=$TSA_URL" \
        "Tsa__CertificatePath=$PEC_PKI_DIR/tsa.crt" \
        "Tsa__KeyPath=$PEC_PKI_DIR/tsa.key" \
        dotnet "$TSA_DLL" >>"$TSA_LOG_FILE" 2>&1 </dev/null) &
    pid=$!
    printf '%s\n' "$pid" >"$TSA_PID_FILE"

    local deadline=$((SECONDS + TSA_START_SECONDS))
    while ! tsa_health_ok; do
        if ! pec_pid_alive "$pid" || [ "$SECONDS" -ge "$deadline" ]; then
            pec_show_log_tail "$TSA_LOG_FILE"
            pec_kill_and_wait "$pid" 10
            rm -f "$TSA_PID_FILE"
            pec_die "l'autorité d'horodatage n'a pas démarré (journal : $TSA_LOG_FILE)."
        fi
        sleep 1
    done
    pec_info "Horodatage : démarré sur $TSA_URL (pid $pid)."
}

tsa_stop() {
    local pid
    pid="$(tsa_running_pid)"
    rm -f "$TSA_PID_FILE"
    if [ -z "$pid" ]; then
        pec_info "Horodatage : déjà arrêté."
        return 0
    fi
    pec_kill_and_wait "$pid" 10
    pec_info "Horodatage : arrêté."
}
