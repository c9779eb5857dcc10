using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pec.Signing.Seal;

namespace Pec.Signing.Verification.Trust;

/// <summary>
/// Key sizes accepted for signers: RSA of at least 2048 bits, ECDSA on P-256, P-384 or P-521. From 1 January 2031
/// RSA needs 3072 bits, because ANSSI accepts 2048-bit RSA only until the end of 2030.
/// </summary>
internal static class SignerKeyRules
{
    public const int MinimumRsaKeySize = 2048;

    public const int MinimumRsaKeySizeFrom2031 = 3072;

    public static readonly DateTimeOffset Rsa3072RequiredFrom = new(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <exception cref="SignatureRejection"><c>weak-key</c>.</exception>
    public static void Check(X509Certificate2 signer, DateTimeOffset signingTime)
    {
        using (var rsa = signer.GetRSAPublicKey())
        {
            if (rsa is not null)
            {
                var minimum = signingTime >= Rsa3072RequiredFrom ? MinimumRsaKeySizeFrom2031 : MinimumRsaKeySize;
                if (rsa.KeySize < minimum)
                {
                    throw new SignatureRejection(
                        SignatureReasons.WeakKey,
                        $"The signer key is RSA of {rsa.KeySize} bits; at least {minimum} bits are required for a signature made at {signingTime:O}.");
                }

                return;
            }
        }

        using (var ecdsa = signer.GetECDsaPublicKey())
        {
            if (ecdsa is not null)
            {
                if (!SealKeyRules.IsAcceptedCurve(ecdsa))
                {
                    throw new SignatureRejection(SignatureReasons.WeakKey, "The signer key is ECDSA on a curve other than P-256, P-384 or P-521.");
                }

                return;
            }
        }

        throw new SignatureRejection(
            SignatureReasons.WeakKey, $"The signer key is {signer.PublicKey.Oid.FriendlyName ?? signer.PublicKey.Oid.Value}; only RSA and ECDSA are accepted.");
    }
}
