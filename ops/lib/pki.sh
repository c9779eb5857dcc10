# shellcheck shell=bash
# Development PKI in .pec/pki, made with openssl. Sourced after common.sh.
#
# Files are created once and kept. A certificate is issued again only when it
# or its key is missing, when it no longer verifies against ca.crt, or when it
# expires within 7 days. A new root CA therefore reissues every certificate.
# Certificates are signed with `openssl ca`, because OpenSSL 3.0 has no
# notBefore option elsewhere and a notBefore 5 minutes in the past tolerates
# small clock differences.

# Client certificates, one per development administration ID.
PKI_CLIENT_IDS=(DILA COMMUNE-06088 COMMUNE-214400152 PREF-44 AUDIT EXPLOITATION)
# Administrations that sign the payloads they send (flow types with a signature level).
PKI_SIGNER_IDS=(COMMUNE-06088 COMMUNE-214400152)
PKI_CRL_DAYS=30

PKI_CA_DAYS=3650
PKI_SEAL_DAYS=1095
PKI_TLS_DAYS=397
PKI_CLIENT_DAYS=730

# Scratch folder for the openssl ca database and requests. It lives in .pec/
# rather than /tmp, so a failed run leaves nothing outside the repository.
PKI_WORK_DIR="$PEC_RUN_DIR/pki-work"

pki_write_openssl_config() {
    cat >"$PKI_WORK_DIR/openssl.cnf" <<EOF
[ req ]
distinguished_name = req_dn
string_mask = utf8only
utf8 = yes

[ req_dn ]

[ ca ]
default_ca = pec_ca

[ pec_ca ]
database = $PKI_WORK_DIR/index.txt
# Required by openssl ca, but -rand_serial leaves it unused.
serial = $PKI_WORK_DIR/serial
new_certs_dir = $PKI_WORK_DIR
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no

[ policy_any ]
organizationName = optional
commonName = supplied

[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ v3_seal ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ v3_server ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ v3_client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

# Signing certificates of administrations' agents: RGS signatures require nonRepudiation.
[ v3_signature ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

# RFC 3161, 2.3: a TSA certificate carries only timeStamping, marked critical.
[ v3_tsa ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
    : >"$PKI_WORK_DIR/index.txt"
}

# Writes an unencrypted PKCS#8 private key, mode 600. TYPE is rsa or ec.
pki_generate_key() {
    local type="$1" path="$2"
    local options=(-algorithm RSA -pkeyopt rsa_keygen_bits:3072)
    if [ "$type" = ec ]; then
        options=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve)
    fi
    (umask 077 && openssl genpkey "${options[@]}" -out "$path" 2>/dev/null)
    chmod 600 "$path"
}

# Issues NAME.crt for NAME.key with SUBJECT and the EXTENSIONS section of the
# config, signed by ca.key, or self-signed when EXTENSIONS is v3_ca.
pki_sign() {
    local name="$1" subject="$2" extensions="$3" days="$4"
    local key="$PEC_PKI_DIR/$name.key"
    local request="$PKI_WORK_DIR/$name.csr"
    local start
    start="$(date -u -d '-5 minutes' +%y%m%d%H%M%SZ)"

    openssl req -new -config "$PKI_WORK_DIR/openssl.cnf" -utf8 -key "$key" -subj "$subject" \
        -out "$request"

    local issuer=(-cert "$PEC_PKI_DIR/ca.crt" -keyfile "$PEC_PKI_DIR/ca.key")
    if [ "$extensions" = v3_ca ]; then
        issuer=(-selfsign -keyfile "$key")
    fi
    if ! openssl ca -batch -config "$PKI_WORK_DIR/openssl.cnf" -utf8 -preserveDN -notext \
        -rand_serial "${issuer[@]}" -startdate "$start" -days "$days" -extensions "$extensions" \
        -in "$request" -out "$PEC_PKI_DIR/$name.crt" >"$PKI_WORK_DIR/$name.log" 2>&1; then
        cat "$PKI_WORK_DIR/$name.log" >&2
        pec_die "la signature du certificat $name.crt a échoué."
    fi
    chmod 644 "$PEC_PKI_DIR/$name.crt"
}

# Succeeds when NAME.crt and NAME.key exist, match, verify against ca.crt for
# PURPOSE and stay valid for 7 more days.
pki_leaf_is_valid() {
    local name="$1" purpose="$2"
    local certificate="$PEC_PKI_DIR/$name.crt" key="$PEC_PKI_DIR/$name.key"
    [ -s "$certificate" ] && [ -s "$key" ] || return 1
    openssl verify -CAfile "$PEC_PKI_DIR/ca.crt" -purpose "$purpose" "$certificate" >/dev/null 2>&1 || return 1
    openssl x509 -in "$certificate" -noout -checkend 604800 >/dev/null 2>&1 || return 1
    [ "$(openssl x509 -in "$certificate" -noout -pubkey)" = "$(openssl pkey -in "$key" -pubout)" ]
}

pki_ensure_ca() {
    local certificate="$PEC_PKI_DIR/ca.crt" key="$PEC_PKI_DIR/ca.key"
    # The CA is replaced 30 days before it expires, a wider margin than for the
    # other certificates, because a new CA invalidates every certificate issued.
    if [ -s "$certificate" ] && [ -s "$key" ] &&
        openssl x509 -in "$certificate" -noout -checkend 2592000 >/dev/null 2>&1; then
        return 0
    fi
    pec_info "PKI : création de l'autorité racine ca.crt"
    pki_generate_key rsa "$key"
    pki_sign ca "/O=PEC/CN=PEC Development Root CA" v3_ca "$PKI_CA_DAYS"
}

# Issues NAME.crt (and a new NAME.key) unless the current pair is still valid.
pki_ensure_leaf() {
    local name="$1" key_type="$2" subject="$3" extensions="$4" days="$5" purpose="$6"
    if pki_leaf_is_valid "$name" "$purpose"; then
        return 0
    fi
    pec_info "PKI : émission de $name.crt"
    pki_generate_key "$key_type" "$PEC_PKI_DIR/$name.key"
    pki_sign "$name" "$subject" "$extensions" "$days"
}

# Writes ca.crl, the CA's revocation list, unless the current one is valid for
# at least 7 more days. The development CA revokes nothing, so the list is empty;
# the signature verifier still needs it to check revocation offline.
pki_ensure_crl() {
    local crl="$PEC_PKI_DIR/ca.crl" next
    if [ -s "$crl" ] && next="$(openssl crl -in "$crl" -noout -nextupdate 2>/dev/null)" &&
        [ "$(date -u -d "${next#nextUpdate=}" +%s)" -gt "$(($(date -u +%s) + 604800))" ]; then
        return 0
    fi
    pec_info "PKI : émission de la liste de révocation ca.crl"
    if ! openssl ca -batch -config "$PKI_WORK_DIR/openssl.cnf" -gencrl -crldays "$PKI_CRL_DAYS" \
        -cert "$PEC_PKI_DIR/ca.crt" -keyfile "$PEC_PKI_DIR/ca.key" -out "$crl" >"$PKI_WORK_DIR/crl.log" 2>&1; then
        cat "$PKI_WORK_DIR/crl.log" >&2
        pec_die "l'émission de la liste de révocation ca.crl a échoué."
    fi
    chmod 644 "$crl"
}

pki_write_readme() {
    cat >"$PEC_PKI_DIR/README" <<EOF
PKI de développement de PEC, créée par ops/run (ops/lib/pki.sh). Ne l'utilisez jamais en production, car les clés privées ne sont pas chiffrées. ca.crt/ca.key est l'autorité racine « PEC Development Root CA » (RSA 3072, 10 ans) : la passerelle lui fait confiance pour les certificats clients (Pec__ClientAuth__TrustedCaPath), et curl l'utilise avec --cacert. seal.crt/seal.key est le cachet serveur de la plateforme (RSA 3072, usages digitalSignature et nonRepudiation) qui signe les accusés. gateway.crt/gateway.key est le certificat TLS de la passerelle (EC P-256, serverAuth, valable pour localhost et 127.0.0.1). delivery.crt/delivery.key est le certificat client mTLS que PEC présente aux points de remise HTTPS des destinataires (EC P-256, clientAuth). Chaque <ID>.signature.crt/.key (${PKI_SIGNER_IDS[*]}) est le certificat de signature d'un agent de cette administration (RSA 3072, usages digitalSignature et nonRepudiation), pour signer les documents des types de flux qui exigent une signature. ca.crl est la liste de révocation de l'autorité (vide, valable 30 jours, réémise par ops/run). tsa.crt/tsa.key est le certificat de l'autorité d'horodatage de développement (EC P-256, usage critique timeStamping), utilisée par ops/run sur http://127.0.0.1:8318. Chaque <ID>.crt/<ID>.key (${PKI_CLIENT_IDS[*]}) est le certificat client mTLS d'une administration (EC P-256, clientAuth, CN = identifiant). Tout est en PEM et les clés sont en PKCS#8 non chiffré (mode 600). Un certificat absent, invalide ou qui expire sous 7 jours est réémis au prochain ops/run. Pour tout recréer, supprimez ce dossier.
EOF
    chmod 644 "$PEC_PKI_DIR/README"
}

pki_ensure() {
    mkdir -p "$PEC_PKI_DIR"
    rm -rf "$PKI_WORK_DIR"
    (umask 077 && mkdir -p "$PKI_WORK_DIR")
    pki_write_openssl_config

    pki_ensure_ca
    pki_ensure_leaf seal rsa "/O=PEC/CN=PEC Cachet Serveur (développement)" v3_seal "$PKI_SEAL_DAYS" any
    pki_ensure_leaf gateway ec "/O=PEC/CN=localhost" v3_server "$PKI_TLS_DAYS" sslserver
    pki_ensure_leaf tsa ec "/O=PEC/CN=PEC Horodatage (développement)" v3_tsa "$PKI_SEAL_DAYS" timestampsign
    pki_ensure_leaf delivery ec "/O=PEC/CN=PEC Distribution (développement)" v3_client "$PKI_CLIENT_DAYS" sslclient
    local id
    for id in "${PKI_CLIENT_IDS[@]}"; do
        pki_ensure_leaf "$id" ec "/CN=$id" v3_client "$PKI_CLIENT_DAYS" sslclient
    done
    for id in "${PKI_SIGNER_IDS[@]}"; do
        pki_ensure_leaf "$id.signature" rsa "/O=$id/CN=Agent signataire $id" v3_signature "$PKI_CLIENT_DAYS" any
    done
    pki_ensure_crl
    pki_write_readme
    rm -rf "$PKI_WORK_DIR"
}
