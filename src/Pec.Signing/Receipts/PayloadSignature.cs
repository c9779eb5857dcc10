namespace Pec.Signing.Receipts;

/// <summary>
/// The sender's signature of the payload as PEC verified it, carried by receipts of flow types that
/// require a signature level: the level met, the signer certificate, the algorithm and the signing time.
/// </summary>
public sealed record PayloadSignature(
    string Level,
    string Subject,
    string Issuer,
    string SerialNumber,
    string Sha256,
    string SignatureMethod,
    DateTimeOffset? SigningTime);
