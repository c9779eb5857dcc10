namespace Pec.Signing.Verification.Trust;

/// <summary>Revocation state of one certificate according to the configured CRLs.</summary>
internal enum RevocationStatus
{
    /// <summary>A usable CRL from the issuer does not list the certificate.</summary>
    Good,

    /// <summary>A usable CRL from the issuer lists the certificate.</summary>
    Revoked,

    /// <summary>No configured CRL is from the issuer, signed by it and current at the verification time.</summary>
    Unknown,
}
