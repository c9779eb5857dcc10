using Pec.Signing.Verification;

namespace Pec.Cli;

/// <summary>One sentence per verifier reason, for the person reading <c>pec verify</c>.</summary>
internal static class ReasonTexts
{
    private static readonly Dictionary<string, (string French, string English)> Texts = new(StringComparer.Ordinal)
    {
        [SignatureReasons.MissingSignature] = ("le document ne contient aucune signature", "the document contains no signature"),
        [SignatureReasons.UnsupportedSignature] = ("aucune signature n'est d'un format ou d'un algorithme pris en charge", "no signature has a supported format or algorithm"),
        [SignatureReasons.MalformedXml] = ("le document n'est pas un XML bien formé", "the document is not well-formed XML"),
        [SignatureReasons.DtdForbidden] = ("le document contient une DTD, interdite", "the document contains a DTD, which is forbidden"),
        [SignatureReasons.DuplicateId] = ("deux éléments portent le même identifiant (Id, ID ou id)", "two elements carry the same identifier (Id, ID or id)"),
        [SignatureReasons.ExternalReference] = ("la signature désigne un contenu extérieur au document", "the signature references content outside the document"),
        [SignatureReasons.ForbiddenTransform] = ("la signature utilise une transformation interdite", "the signature uses a forbidden transform"),
        [SignatureReasons.TooManyReferences] = ("trop de signatures ou de références", "too many signatures or references"),
        [SignatureReasons.DigestMismatch] = ("le contenu signé a été modifié après la signature", "the signed content was changed after signing"),
        [SignatureReasons.SignatureMismatch] = ("la valeur de signature ne correspond pas au certificat", "the signature value does not match the certificate"),
        [SignatureReasons.WeakAlgorithm] = ("algorithme refusé par les règles de l'ANSSI", "algorithm rejected by ANSSI's rules"),
        [SignatureReasons.WeakKey] = ("clé du signataire trop faible", "signer key too weak"),
        [SignatureReasons.UntrustedChain] = ("le certificat du signataire ne remonte pas à une ancre de confiance", "the signer certificate does not chain to a trust anchor"),
        [SignatureReasons.PolicyNotAccepted] = ("politique de certification non acceptée", "certificate policy not accepted"),
        [SignatureReasons.CertificateExpired] = ("certificat expiré à la date de signature", "certificate expired at the signing time"),
        [SignatureReasons.CertificateNotYetValid] = ("certificat pas encore valide à la date de signature", "certificate not yet valid at the signing time"),
        [SignatureReasons.CertificateRevoked] = ("certificat révoqué", "certificate revoked"),
        [SignatureReasons.KeyUsage] = ("le certificat ne porte pas l'usage de non-répudiation", "the certificate lacks the non-repudiation usage"),
        [SignatureReasons.SigningCertificateMismatch] = ("le certificat désigné dans les propriétés signées n'est pas celui du signataire", "the certificate named in the signed properties is not the signer's"),
        [SignatureReasons.Wrapping] = ("la signature ne couvre pas tout le document, ou du contenu non signé y a été mêlé", "the signature does not cover the whole document, or unsigned content was mixed in"),
        [SignatureReasons.LevelNotMet] = ("la signature est valide mais n'atteint pas le niveau demandé", "the signature is valid but does not meet the requested level"),
    };

    public static string Describe(string reason, CliText text) =>
        Texts.TryGetValue(reason, out var pair) ? text.Pick(pair.French, pair.English) : reason;
}
