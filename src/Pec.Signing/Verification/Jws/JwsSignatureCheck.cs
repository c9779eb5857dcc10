using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pec.Signing.Verification.Dsig;

namespace Pec.Signing.Verification.Jws;

/// <summary>Verifies a JWS signature value with the x5c signer key, as RFC 7518 section 3 defines each alg.</summary>
internal static class JwsSignatureCheck
{
    /// <exception cref="SignatureRejection"><c>signature-mismatch</c>, or <c>unsupported-signature</c> for an ES alg on another curve.</exception>
    public static void Verify(X509Certificate2 signer, JwsAlgorithm algorithm, byte[] signingInput, byte[] signature)
    {
        bool verified;
        if (algorithm.Family == SignatureKeyFamily.Ecdsa)
        {
            verified = VerifyEcdsa(signer, algorithm, signingInput, signature);
        }
        else
        {
            using var rsa = signer.GetRSAPublicKey() ?? throw new SignatureRejection(
                SignatureReasons.SignatureMismatch, $"The JWS alg {algorithm.Name} needs an RSA key, but the x5c signer '{signer.Subject}' has another key type.");
            var padding = algorithm.Family == SignatureKeyFamily.RsaPss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
            verified = rsa.VerifyData(signingInput, signature, algorithm.Hash, padding);
        }

        if (!verified)
        {
            throw new SignatureRejection(
                SignatureReasons.SignatureMismatch,
                $"The x5c signer '{signer.Subject}' does not verify the JWS signature with {algorithm.Name}: the payload or the header was changed after signing, or x5c[0] is not the signer.");
        }
    }

    private static bool VerifyEcdsa(X509Certificate2 signer, JwsAlgorithm algorithm, byte[] signingInput, byte[] signature)
    {
        using var ecdsa = signer.GetECDsaPublicKey() ?? throw new SignatureRejection(
            SignatureReasons.SignatureMismatch, $"The JWS alg {algorithm.Name} needs an ECDSA key, but the x5c signer '{signer.Subject}' has another key type.");

        // RFC 7518 section 3.4 pairs each ES alg with one curve: ES256 with P-256, ES384 with P-384, ES512 with P-521.
        if (ecdsa.KeySize != algorithm.CurveBits)
        {
            throw new SignatureRejection(
                SignatureReasons.UnsupportedSignature, $"The JWS alg {algorithm.Name} requires a {algorithm.CurveBits}-bit curve, but the signer key is on a {ecdsa.KeySize}-bit curve.");
        }

        if (ecdsa.VerifyData(signingInput, signature, algorithm.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return true;
        }

        // Only to name the mistake in the verdict: a DER value is never accepted.
        if (ecdsa.VerifyData(signingInput, signature, algorithm.Hash, DSASignatureFormat.Rfc3279DerSequence))
        {
            throw new SignatureRejection(
                SignatureReasons.SignatureMismatch, "The ECDSA JWS signature is DER-encoded; RFC 7518 requires the r‖s concatenation of fixed-size integers.");
        }

        return false;
    }
}
