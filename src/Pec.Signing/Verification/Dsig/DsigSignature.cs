using System.Xml;

namespace Pec.Signing.Verification.Dsig;

/// <summary>A <c>ds:Signature</c> element read by <see cref="DsigParser"/>; nothing in it is verified yet.</summary>
internal sealed class DsigSignature
{
    public required XmlElement Element { get; init; }

    public string? Id { get; init; }

    public required XmlElement SignedInfo { get; init; }

    public required DsigTransform Canonicalization { get; init; }

    public required string SignatureMethod { get; init; }

    /// <summary>True when SignatureMethod has an HMACOutputLength child, which only HMAC methods take.</summary>
    public bool HasHmacOutputLength { get; init; }

    public required IReadOnlyList<DsigReference> References { get; init; }

    /// <summary>SignatureValue text as found; decoded when verifying, so that a damaged value reads as a mismatch.</summary>
    public required string SignatureValueText { get; init; }

    /// <summary>DER certificates of KeyInfo/X509Data, in document order.</summary>
    public required IReadOnlyList<byte[]> Certificates { get; init; }
}
