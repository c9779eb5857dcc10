using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using Pec.Signing.Receipts;
using Pec.Signing.Verification.Dsig;

namespace Pec.Signing.Verification.Algorithms;

/// <summary>Registers with CryptoConfig the SignatureMethods SignedXml lacks: ECDSA and RSA-PSS.</summary>
internal static class VerificationAlgorithms
{
    private static readonly Lazy<bool> Registration = new(() =>
    {
        XmlDsigAlgorithms.EnsureRegistered();
        // CryptoConfig is process-wide; SignedXml looks SignatureMethod URIs up there.
        CryptoConfig.AddAlgorithm(typeof(EcdsaSha384SignatureDescription), DsigAlgorithms.EcdsaSha384);
        CryptoConfig.AddAlgorithm(typeof(EcdsaSha512SignatureDescription), DsigAlgorithms.EcdsaSha512);
        CryptoConfig.AddAlgorithm(typeof(RsaPssSha256SignatureDescription), DsigAlgorithms.RsaPssSha256);
        CryptoConfig.AddAlgorithm(typeof(RsaPssSha384SignatureDescription), DsigAlgorithms.RsaPssSha384);
        CryptoConfig.AddAlgorithm(typeof(RsaPssSha512SignatureDescription), DsigAlgorithms.RsaPssSha512);
        return true;
    });

    /// <summary>Makes every accepted SignatureMethod known to <see cref="SignedXml"/>; idempotent.</summary>
    public static void EnsureRegistered() => _ = Registration.Value;
}
