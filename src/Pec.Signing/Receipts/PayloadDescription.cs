namespace Pec.Signing.Receipts;

/// <summary>What a receipt says about a payload.</summary>
/// <param name="Sha256Hex">SHA-256 of the payload, 64 hexadecimal digits (written lowercase).</param>
/// <param name="Size">Size of the payload in bytes.</param>
/// <param name="MediaType">Media type of the payload, for example <c>application/pdf</c>.</param>
public sealed record PayloadDescription(string Sha256Hex, long Size, string MediaType);
