namespace Pec.Signing.Verification.Dsig;

/// <summary>The key type and signature encoding a SignatureMethod calls for.</summary>
internal enum SignatureKeyFamily
{
    /// <summary>RSA with PKCS#1 v1.5 padding.</summary>
    RsaPkcs1,

    /// <summary>RSA-PSS with MGF1 on the same hash and a salt as long as the hash (RFC 6931).</summary>
    RsaPss,

    /// <summary>ECDSA with the r‖s encoding XML-DSig requires (XML-DSig 1.1).</summary>
    Ecdsa,
}
