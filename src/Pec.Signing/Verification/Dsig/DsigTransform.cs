namespace Pec.Signing.Verification.Dsig;

/// <summary>A transform or canonicalization method, with the exclusive C14N InclusiveNamespaces PrefixList if given.</summary>
internal sealed record DsigTransform(string Algorithm, string? InclusivePrefixList);
