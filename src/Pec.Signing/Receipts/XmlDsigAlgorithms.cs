using System.Security.Cryptography;
using System.Security.Cryptography.Xml;

namespace Pec.Signing.Receipts;

/// <summary>The XML-DSig algorithm identifiers of the PEC receipt profile.</summary>
internal static class XmlDsigAlgorithms
{
    public const string ExclusiveC14N = SignedXml.XmlDsigExcC14NTransformUrl;
    public const string EnvelopedSignature = SignedXml.XmlDsigEnvelopedSignatureTransformUrl;
    public const string Sha256 = SignedXml.XmlDsigSHA256Url;
    public const string RsaSha256 = SignedXml.XmlDsigRSASHA256Url;
    public const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

    private static readonly Lazy<bool> Registration = new(() =>
    {
        // SignedXml looks SignatureMethod URIs up in CryptoConfig and knows no ECDSA description of its own.
        // CryptoConfig is process-wide; registering the same type again would be harmless, Lazy just avoids the churn.
        CryptoConfig.AddAlgorithm(typeof(EcdsaSha256SignatureDescription), EcdsaSha256);
        return true;
    });

    /// <summary>Makes <see cref="EcdsaSha256"/> known to <see cref="SignedXml"/>; call before signing or verifying.</summary>
    public static void EnsureRegistered() => _ = Registration.Value;
}
