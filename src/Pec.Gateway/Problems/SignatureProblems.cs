using Pec.Signing.Verification;

namespace Pec.Gateway.Problems;

/// <summary>
/// One problem kind per verifier reason, so that a client can branch on which rule failed:
/// <c>urn:pec:problem:signature-&lt;reason&gt;</c>, status 422 (the request is well formed, its content is refused).
/// </summary>
internal static class SignatureProblems
{
    private const int Status = 422;

    private static readonly Dictionary<string, ProblemKind> Kinds = new(StringComparer.Ordinal)
    {
        [SignatureReasons.MissingSignature] = Kind(SignatureReasons.MissingSignature,
            "Le type de flux « {0} » exige une signature de niveau {1}, et le document n'en contient aucune.",
            "Flow type '{0}' requires a signature at level {1}, and the payload contains none."),
        [SignatureReasons.UnsupportedSignature] = Kind(SignatureReasons.UnsupportedSignature,
            "Aucune signature du document n'est d'un format ou d'un algorithme que PEC vérifie (type de flux « {0} », niveau {1}).",
            "No signature of the payload has a format or algorithm PEC verifies (flow type '{0}', level {1})."),
        [SignatureReasons.MalformedXml] = Kind(SignatureReasons.MalformedXml,
            "Le document n'est pas un XML bien formé ; sa signature ne peut être vérifiée (type de flux « {0} »).",
            "The payload is not well-formed XML; its signature cannot be verified (flow type '{0}')."),
        [SignatureReasons.MalformedSignature] = Kind(SignatureReasons.MalformedSignature,
            "La signature détachée (en-tête Pec-Signature) est illisible : CMS en base64 pour un document binaire, JWS compact pour du JSON (type de flux « {0} »).",
            "The detached signature (Pec-Signature header) is unreadable: base64 CMS for a binary payload, compact JWS for JSON (flow type '{0}')."),
        [SignatureReasons.DtdForbidden] = Kind(SignatureReasons.DtdForbidden,
            "Le document contient une déclaration de type de document (DTD), interdite dans un document signé.",
            "The payload contains a document type declaration (DTD), which is forbidden in a signed document."),
        [SignatureReasons.DuplicateId] = Kind(SignatureReasons.DuplicateId,
            "Deux éléments du document portent le même identifiant (Id, ID ou id) : la cible de la signature serait ambiguë.",
            "Two elements of the payload carry the same identifier (Id, ID or id): the signature target would be ambiguous."),
        [SignatureReasons.ExternalReference] = Kind(SignatureReasons.ExternalReference,
            "La signature désigne un contenu extérieur au document ; seules les références internes sont acceptées.",
            "The signature references content outside the payload; only same-document references are accepted."),
        [SignatureReasons.ForbiddenTransform] = Kind(SignatureReasons.ForbiddenTransform,
            "La signature utilise une transformation interdite (XPath, XSLT ou autre hors liste).",
            "The signature uses a forbidden transform (XPath, XSLT or another one not on the list)."),
        [SignatureReasons.TooManyReferences] = Kind(SignatureReasons.TooManyReferences,
            "Le document contient trop de signatures ou de références pour être vérifié.",
            "The payload contains too many signatures or references to be verified."),
        [SignatureReasons.DigestMismatch] = Kind(SignatureReasons.DigestMismatch,
            "Le contenu signé a été modifié : son empreinte ne correspond plus à la signature.",
            "The signed content was modified: its digest no longer matches the signature."),
        [SignatureReasons.SignatureMismatch] = Kind(SignatureReasons.SignatureMismatch,
            "La valeur de signature ne correspond pas au certificat du signataire.",
            "The signature value does not match the signer's certificate."),
        [SignatureReasons.WeakAlgorithm] = Kind(SignatureReasons.WeakAlgorithm,
            "La signature utilise un algorithme refusé par les règles de l'ANSSI (SHA-1, MD5, DSA, HMAC…).",
            "The signature uses an algorithm ANSSI's rules reject (SHA-1, MD5, DSA, HMAC…)."),
        [SignatureReasons.WeakKey] = Kind(SignatureReasons.WeakKey,
            "La clé du signataire est trop courte ou d'une courbe non admise (RSA 2048 bits au moins, ECDSA P-256, P-384 ou P-521).",
            "The signer's key is too short or on a curve not accepted (RSA of at least 2048 bits, ECDSA P-256, P-384 or P-521)."),
        [SignatureReasons.UntrustedChain] = Kind(SignatureReasons.UntrustedChain,
            "Le certificat du signataire ne remonte pas à une autorité reconnue pour le niveau {1}, ou sa révocation ne peut être vérifiée.",
            "The signer's certificate does not chain to an authority accepted for level {1}, or its revocation cannot be checked."),
        [SignatureReasons.PolicyNotAccepted] = Kind(SignatureReasons.PolicyNotAccepted,
            "Le certificat du signataire ne porte pas une politique de certification acceptée pour le niveau {1}.",
            "The signer's certificate does not carry a certificate policy accepted for level {1}."),
        [SignatureReasons.CertificateExpired] = Kind(SignatureReasons.CertificateExpired,
            "Le certificat du signataire était expiré à la date de signature.",
            "The signer's certificate had expired at the signing time."),
        [SignatureReasons.CertificateNotYetValid] = Kind(SignatureReasons.CertificateNotYetValid,
            "Le certificat du signataire n'était pas encore valide à la date de signature.",
            "The signer's certificate was not yet valid at the signing time."),
        [SignatureReasons.CertificateRevoked] = Kind(SignatureReasons.CertificateRevoked,
            "Le certificat du signataire est révoqué.",
            "The signer's certificate is revoked."),
        [SignatureReasons.KeyUsage] = Kind(SignatureReasons.KeyUsage,
            "Le certificat du signataire ne porte pas l'usage de clé requis (non-répudiation).",
            "The signer's certificate lacks the required key usage (non-repudiation)."),
        [SignatureReasons.SigningCertificateMismatch] = Kind(SignatureReasons.SigningCertificateMismatch,
            "Le certificat désigné dans les propriétés XAdES signées n'est pas celui du signataire.",
            "The certificate named in the signed XAdES properties is not the signer's."),
        [SignatureReasons.Wrapping] = Kind(SignatureReasons.Wrapping,
            "La signature ne couvre pas tout le document, ou du contenu non signé a été mêlé au contenu signé.",
            "The signature does not cover the whole payload, or unsigned content was mixed with signed content."),
        [SignatureReasons.TimestampInvalid] = Kind(SignatureReasons.TimestampInvalid,
            "L'horodatage de la signature (XAdES SignatureTimeStamp) est invalide : jeton altéré, autre contenu horodaté ou autorité d'horodatage non reconnue.",
            "The signature's timestamp (XAdES SignatureTimeStamp) is invalid: altered token, other content stamped, or a time-stamping authority PEC does not trust."),
        [SignatureReasons.LevelNotMet] = Kind(SignatureReasons.LevelNotMet,
            "La signature est valide mais n'atteint pas le niveau {1} qu'exige le type de flux « {0} ».",
            "The signature is valid but does not meet level {1}, which flow type '{0}' requires."),
    };

    private static readonly ProblemKind Unknown = Kind("rejected",
        "La signature du document est refusée (type de flux « {0} », niveau {1}).",
        "The payload's signature is rejected (flow type '{0}', level {1}).");

    /// <summary>Returns the problem kind of a verifier reason; its details take the flow type and the level as arguments.</summary>
    public static ProblemKind For(string reason) => Kinds.GetValueOrDefault(reason, Unknown);

    private static ProblemKind Kind(string reason, string french, string english) =>
        new("signature-" + reason, Status, "Signature refusée", "Signature rejected", french, english);
}
