namespace Pec.Signing.Verification;

/// <summary>Algorithm URIs declared by a signature's SignedInfo.</summary>
/// <param name="SignatureMethod">The SignatureMethod Algorithm URI.</param>
/// <param name="CanonicalizationMethod">The CanonicalizationMethod Algorithm URI.</param>
/// <param name="DigestMethods">The DigestMethod Algorithm URI of each reference, in SignedInfo order.</param>
public sealed record SignatureAlgorithms(string SignatureMethod, string CanonicalizationMethod, IReadOnlyList<string> DigestMethods);
