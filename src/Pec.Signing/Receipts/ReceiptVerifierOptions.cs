using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Receipts;

/// <summary>Settings of <see cref="ReceiptVerifier"/> beyond the CA anchors given to each call.</summary>
public sealed class ReceiptVerifierOptions
{
    /// <summary>
    /// Anchors for the TSA certificates of XAdES B-T receipts (the timeStamping extended key usage is required).
    /// A receipt that carries a SignatureTimeStamp is refused when this is empty, because its time-stamp cannot be checked.
    /// </summary>
    public X509Certificate2Collection TrustedTsaCertificates { get; init; } = [];

    /// <summary>
    /// When the seal certificate chain is checked. Default <see cref="ReceiptValidationTime.CurrentTime"/>.
    /// </summary>
    public ReceiptValidationTime ValidationTime { get; init; } = ReceiptValidationTime.CurrentTime;

    /// <summary>
    /// Maximum difference between the XAdES SigningTime and the receipt's IssuedAt, and how much earlier than
    /// SigningTime a time-stamp may be (clock skew between PEC and the TSA). Default 1 minute: the signer writes both equal.
    /// </summary>
    public TimeSpan SigningTimeTolerance { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>The time at which <see cref="ReceiptVerifier"/> checks that the seal certificate was valid and trusted.</summary>
public enum ReceiptValidationTime
{
    /// <summary>The verifier's current time: a receipt sealed by an expired seal is refused.</summary>
    CurrentTime,

    /// <summary>
    /// The time the receipt was sealed: the time-stamp time of a B-T receipt (asserted by a trusted TSA), else the
    /// XAdES SigningTime of a B-B receipt, else (plain XML-DSig receipt) the current time. SigningTime is asserted by
    /// the seal key itself, so whoever obtains the key of an expired seal can back-date B-B receipts; rely on B-T
    /// receipts where that matters. Revocation is not checked in either mode.
    /// </summary>
    SealingTime,
}
