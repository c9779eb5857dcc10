namespace Pec.Gateway.Problems;

/// <summary>Every error kind of the API. The slugs are part of the API contract: clients branch on them.</summary>
internal static class ProblemCatalog
{
    public static readonly ProblemKind AuthenticationRequired = new(
        "authentication-required", 401,
        "Authentification requise", "Authentication required",
        "Cet appel exige un certificat client TLS émis pour votre administration.",
        "This call requires a TLS client certificate issued to your administration.");

    public static readonly ProblemKind CertificateNotTrusted = new(
        "certificate-not-trusted", 401,
        "Certificat non reconnu", "Certificate not trusted",
        "Le certificat client est refusé : {0}.",
        "The client certificate is rejected: {0}.");

    public static readonly ProblemKind CertificateUnknown = new(
        "certificate-unknown", 401,
        "Certificat inconnu", "Unknown certificate",
        "Le certificat client (empreinte SHA-256 {0}) n'est enregistré pour aucune administration.",
        "The client certificate (SHA-256 fingerprint {0}) is not registered to any administration.");

    public static readonly ProblemKind CertificateRevoked = new(
        "certificate-revoked", 401,
        "Certificat révoqué", "Certificate revoked",
        "Le certificat client (empreinte SHA-256 {0}) a été révoqué dans le registre de PEC.",
        "The client certificate (SHA-256 fingerprint {0}) has been revoked in the PEC registry.");

    public static readonly ProblemKind ForbiddenRole = new(
        "forbidden-role", 403,
        "Accès refusé", "Access denied",
        "Le rôle de votre administration ne permet pas cet appel.",
        "Your administration's role does not allow this call.");

    public static readonly ProblemKind MissingHeader = new(
        "missing-header", 400,
        "En-tête manquant", "Missing header",
        "L'en-tête {0} est obligatoire.",
        "The {0} header is required.");

    public static readonly ProblemKind InvalidHeader = new(
        "invalid-header", 400,
        "En-tête invalide", "Invalid header",
        "L'en-tête {0} doit contenir de 1 à 255 caractères ASCII imprimables, sans espace.",
        "The {0} header must hold 1 to 255 printable ASCII characters, without spaces.");

    public static readonly ProblemKind RepeatedHeader = new(
        "invalid-header", 400,
        "En-tête invalide", "Invalid header",
        "L'en-tête {0} ne doit figurer qu'une fois.",
        "The {0} header must appear only once.");

    public static readonly ProblemKind TooManyRecipients = new(
        "invalid-header", 400,
        "En-tête invalide", "Invalid header",
        "L'en-tête Pec-Recipients nomme {0} destinataires distincts ; le maximum est {1}.",
        "The Pec-Recipients header names {0} distinct recipients; the maximum is {1}.");

    public static readonly ProblemKind InvalidContentType = new(
        "invalid-header", 400,
        "En-tête invalide", "Invalid header",
        "L'en-tête Content-Type « {0} » n'est pas un type de média valide (par exemple application/xml).",
        "The Content-Type header '{0}' is not a valid media type (for example application/xml).");

    public static readonly ProblemKind UnknownFlowType = new(
        "unknown-flow-type", 400,
        "Type de flux inconnu", "Unknown flow type",
        "Le type de flux « {0} » n'existe pas dans le registre.",
        "The flow type '{0}' does not exist in the registry.");

    public static readonly ProblemKind UnknownRecipient = new(
        "unknown-recipient", 400,
        "Destinataire inconnu", "Unknown recipient",
        "Le destinataire « {0} » n'existe pas dans le registre.",
        "The recipient '{0}' does not exist in the registry.");

    public static readonly ProblemKind SenderNotAllowed = new(
        "sender-not-allowed", 403,
        "Émetteur non autorisé", "Sender not allowed",
        "L'administration {0} n'est pas autorisée à émettre des flux de type « {1} ».",
        "The administration {0} is not allowed to send flows of type '{1}'.");

    public static readonly ProblemKind RecipientNotAllowed = new(
        "recipient-not-allowed", 403,
        "Destinataire non autorisé", "Recipient not allowed",
        "L'administration {0} ne peut pas recevoir de flux de type « {1} ».",
        "The administration {0} may not receive flows of type '{1}'.");

    public static readonly ProblemKind UnsupportedMediaType = new(
        "unsupported-media-type", 415,
        "Type de contenu refusé", "Unsupported media type",
        "Le type de contenu « {0} » n'est pas accepté pour le type de flux « {1} » ; types acceptés : {2}.",
        "The media type '{0}' is not accepted for flow type '{1}'; accepted types: {2}.");

    public static readonly ProblemKind PayloadTooLarge = new(
        "payload-too-large", 413,
        "Document trop volumineux", "Payload too large",
        "Le document dépasse la taille maximale de {0:N0} octets du type de flux « {1} ».",
        "The payload exceeds the maximum size of {0:N0} bytes of flow type '{1}'.");

    public static readonly ProblemKind RequestTooLarge = new(
        "request-too-large", 413,
        "Requête trop volumineuse", "Request too large",
        "Le corps de la requête dépasse la taille permise à cette adresse.",
        "The request body exceeds the size allowed at this address.");

    public static readonly ProblemKind IncompleteBody = new(
        "incomplete-body", 400,
        "Corps de requête incomplet", "Incomplete request body",
        "Le corps de la requête est incomplet ou mal formé (envoi interrompu, trop lent, ou longueur annoncée non respectée) ; rien n'a été enregistré.",
        "The request body is incomplete or malformed (upload interrupted, too slow, or not the announced length); nothing was stored.");

    public static readonly ProblemKind CharsetMismatch = new(
        "charset-mismatch", 400,
        "Jeu de caractères contradictoire", "Conflicting character set",
        "Le paramètre charset « {0} » de Content-Type contredit l'encodage « {1} » déclaré par le document XML ; un destinataire lirait un autre texte que celui reçu par PEC.",
        "The Content-Type charset '{0}' contradicts the encoding '{1}' the XML document declares; a recipient would read other text than PEC received.");

    public static readonly ProblemKind EmptyPayload = new(
        "empty-payload", 400,
        "Document vide", "Empty payload",
        "Le corps de la requête est vide : il doit contenir le document à transmettre.",
        "The request body is empty: it must contain the document to send.");

    public static readonly ProblemKind IdempotencyConflict = new(
        "idempotency-conflict", 409,
        "Clé d'idempotence déjà utilisée", "Idempotency key already used",
        "La clé d'idempotence « {0} » a déjà servi au flux {1} avec un autre contenu ou d'autres en-têtes.",
        "The idempotency key '{0}' was already used for flow {1} with other content or headers.");

    public static readonly ProblemKind FlowNotFound = new(
        "flow-not-found", 404,
        "Flux introuvable", "Flow not found",
        "Le flux {0} n'existe pas ou ne vous concerne pas.",
        "The flow {0} does not exist or does not concern you.");

    public static readonly ProblemKind ReceiptNotFound = new(
        "receipt-not-found", 404,
        "Accusé introuvable", "Receipt not found",
        "L'accusé {0} n'existe pas pour le flux {1}.",
        "The receipt {0} does not exist for flow {1}.");

    public static readonly ProblemKind MailboxItemNotFound = new(
        "mailbox-item-not-found", 404,
        "Flux absent de la boîte", "Flow not in mailbox",
        "Le flux {0} n'est pas dans votre boîte aux lettres (inconnu, non encore routé, ou adressé à une autre administration).",
        "The flow {0} is not in your mailbox (unknown, not routed yet, or addressed to another administration).");

    public static readonly ProblemKind SealNotFound = new(
        "seal-not-found", 404,
        "Cachet absent", "No seal",
        "Le flux {0} n'a pas de signature détachée de PEC : seuls les documents non XML scellés par PEC en ont une.",
        "Flow {0} has no detached PEC seal: only non-XML payloads that PEC sealed have one.");

    public static readonly ProblemKind ReplyNotFound = new(
        "reply-not-found", 404,
        "Réponse introuvable", "Reply not found",
        "Le destinataire {1} n'a pas joint de document à son acquittement du flux {0}.",
        "The recipient {1} attached no document to its acknowledgement of flow {0}.");

    public static readonly ProblemKind ReplyCorrupt = new(
        "reply-corrupt", 500,
        "Réponse altérée", "Reply corrupt",
        "La réponse du destinataire {1} au flux {0} ne correspond plus à son empreinte SHA-256 ; elle n'est pas servie.",
        "The reply of recipient {1} to flow {0} no longer matches its SHA-256; it is not served.");

    public static readonly ProblemKind NotFetched = new(
        "payload-not-fetched", 409,
        "Document non récupéré", "Payload not fetched",
        "Le flux {0} ne peut être acquitté qu'après récupération complète de son document.",
        "The flow {0} can be acknowledged only after its payload was fetched in full.");

    public static readonly ProblemKind AcknowledgementConflict = new(
        "acknowledgement-conflict", 409,
        "Flux déjà acquitté", "Flow already acknowledged",
        "Le flux {0} a déjà été acquitté avec une autre réponse.",
        "The flow {0} was already acknowledged with another reply.");

    public static readonly ProblemKind DeadLetterNotFound = new(
        "dead-letter-not-found", 404,
        "Lettre morte introuvable", "Dead letter not found",
        "La lettre morte {0} n'existe pas.",
        "The dead letter {0} does not exist.");

    public static readonly ProblemKind DeadLetterClosed = new(
        "dead-letter-closed", 409,
        "Lettre morte déjà traitée", "Dead letter already handled",
        "La lettre morte {0} a déjà été rejouée ou abandonnée ; seule une lettre morte ouverte peut l'être.",
        "The dead letter {0} was already replayed or discarded; only an open dead letter can be.");

    public static readonly ProblemKind InvalidNote = new(
        "invalid-note", 400,
        "Note invalide", "Invalid note",
        "Le corps attendu est vide ou un objet JSON {{\"note\": \"…\"}} d'au plus {0} caractères, sans caractère de contrôle.",
        "The body must be empty or a JSON object {{\"note\": \"…\"}} of at most {0} characters, without control characters.");

    public static readonly ProblemKind InvalidQuery = new(
        "invalid-query", 400,
        "Paramètre invalide", "Invalid parameter",
        "Le paramètre « {0} » est invalide : {1}.",
        "The parameter '{0}' is invalid: {1}.");

    public static readonly ProblemKind PayloadCorrupt = new(
        "payload-corrupt", 500,
        "Document altéré", "Payload corrupt",
        "Le document du flux {0} ne correspond plus à son empreinte SHA-256 ; il n'est pas servi. La remise est close par un accusé de non-remise et une lettre morte pour l'exploitation.",
        "The payload of flow {0} no longer matches its SHA-256; it is not served. The delivery ends with a non-delivery receipt and a dead letter for the operators.");

    public static readonly ProblemKind NotFound = new(
        "not-found", 404,
        "Ressource introuvable", "Not found",
        "Aucune ressource ne correspond à cette adresse.",
        "No resource matches this address.");

    public static readonly ProblemKind MethodNotAllowed = new(
        "method-not-allowed", 405,
        "Méthode non permise", "Method not allowed",
        "Cette méthode HTTP n'est pas permise à cette adresse.",
        "This HTTP method is not allowed at this address.");

    public static readonly ProblemKind BadRequest = new(
        "bad-request", 400,
        "Requête invalide", "Bad request",
        "La requête est mal formée.",
        "The request is malformed.");

    public static readonly ProblemKind ServiceUnavailable = new(
        "service-unavailable", 503,
        "Service indisponible", "Service unavailable",
        "PEC ne peut pas traiter la demande pour le moment ; réessayez plus tard.",
        "PEC cannot process the request right now; try again later.");

    public static readonly ProblemKind OutboxFull = new(
        "routing-backlog", 503,
        "Acheminement saturé", "Routing backlog full",
        "PEC a trop de flux en attente d'acheminement et n'en accepte plus pour le moment ; réessayez dans {0} secondes.",
        "PEC has too many flows waiting to be routed and accepts no more for now; retry in {0} seconds.");

    public static readonly ProblemKind InternalError = new(
        "internal-error", 500,
        "Erreur interne", "Internal error",
        "Une erreur interne est survenue ; rien n'a été enregistré pour cette requête. Identifiant de trace : {0}.",
        "An internal error occurred; nothing was recorded for this request. Trace id: {0}.");

    /// <summary>Returns the generic kind for a bare status code, used when no endpoint wrote a problem.</summary>
    public static ProblemKind ForStatus(int status) => status switch
    {
        401 => AuthenticationRequired,
        403 => ForbiddenRole,
        404 => NotFound,
        405 => MethodNotAllowed,
        413 => RequestTooLarge,
        503 => ServiceUnavailable,
        >= 500 => InternalError,
        _ => BadRequest,
    };
}
