using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Receipts;

/// <summary>Outcome of <see cref="ReceiptVerifier.Verify"/>.</summary>
public sealed class ReceiptVerificationResult
{
    private ReceiptVerificationResult(ReceiptDocument? receipt, X509Certificate2? signerCertificate, string? failureReason)
    {
        Level = ReceiptSignatureLevel.XmlDsig;
        IsValid = failureReason is null;
        Receipt = receipt;
        SignerCertificate = signerCertificate;
        FailureReason = failureReason;
    }

    /// <summary>True when the signature verifies, the signer chains to a trusted CA and the content is a well-formed receipt.</summary>
    [MemberNotNullWhen(true, nameof(Receipt), nameof(SignerCertificate))]
    [MemberNotNullWhen(false, nameof(FailureReason))]
    public bool IsValid { get; }

    /// <summary>The receipt content, when valid.</summary>
    public ReceiptDocument? Receipt { get; }

    /// <summary>The certificate that signed the receipt, when valid. The caller owns (and disposes) it.</summary>
    public X509Certificate2? SignerCertificate { get; }

    /// <summary>The signature form found, when valid.</summary>
    public ReceiptSignatureLevel Level { get; private init; }

    /// <summary>The signed XAdES SigningTime (B-B and B-T receipts), when valid.</summary>
    public DateTimeOffset? SigningTime { get; private init; }

    /// <summary>The time asserted by the verified SignatureTimeStamp (B-T receipts), when valid.</summary>
    public DateTimeOffset? TimestampTime { get; private init; }

    /// <summary>Why the receipt was refused, in English, when invalid.</summary>
    public string? FailureReason { get; }

    /// <summary>A successful verification.</summary>
    public static ReceiptVerificationResult Valid(ReceiptDocument receipt, X509Certificate2 signerCertificate)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(signerCertificate);
        return new ReceiptVerificationResult(receipt, signerCertificate, failureReason: null);
    }

    /// <summary>A successful verification of a XAdES receipt.</summary>
    public static ReceiptVerificationResult Valid(
        ReceiptDocument receipt, X509Certificate2 signerCertificate, DateTimeOffset signingTime, DateTimeOffset? timestampTime)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(signerCertificate);
        return new ReceiptVerificationResult(receipt, signerCertificate, failureReason: null)
        {
            Level = timestampTime is null ? ReceiptSignatureLevel.XadesBaselineB : ReceiptSignatureLevel.XadesBaselineT,
            SigningTime = signingTime,
            TimestampTime = timestampTime,
        };
    }

    /// <summary>A refused receipt.</summary>
    public static ReceiptVerificationResult Invalid(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new ReceiptVerificationResult(receipt: null, signerCertificate: null, reason);
    }
}
