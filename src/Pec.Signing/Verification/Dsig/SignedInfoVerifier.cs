using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Verification.Dsig;

/// <summary>Finds which KeyInfo certificate's key verifies the SignatureValue over the canonical SignedInfo.</summary>
internal static class SignedInfoVerifier
{
    /// <summary>
    /// Returns the first candidate whose key verifies the signature. Trying each certificate (instead of trusting the
    /// first) lets KeyInfo carry the chain in any order; the others only serve as chain candidates afterwards.
    /// </summary>
    /// <exception cref="SignatureRejection"><c>signature-mismatch</c>.</exception>
    public static X509Certificate2 FindSigner(DsigSignature signature, SignatureMethod method, IReadOnlyList<X509Certificate2> candidates)
    {
        byte[] signatureValue;
        try
        {
            signatureValue = Convert.FromBase64String(signature.SignatureValueText);
        }
        catch (FormatException)
        {
            throw new SignatureRejection(SignatureReasons.SignatureMismatch, "The SignatureValue is not valid base64.");
        }

        var canonicalSignedInfo = ReferenceDigester.CanonicalizeElement(signature.SignedInfo, signature.Canonicalization);
        var derEncoded = false;
        foreach (var candidate in candidates)
        {
            switch (Verify(candidate, method, canonicalSignedInfo, signatureValue))
            {
                case Outcome.Verified:
                    return candidate;
                case Outcome.DerEncodedEcdsa:
                    derEncoded = true;
                    break;
            }
        }

        if (derEncoded)
        {
            throw new SignatureRejection(
                SignatureReasons.SignatureMismatch,
                "The ECDSA SignatureValue is DER-encoded; XML-DSig requires the r‖s concatenation of fixed-size integers.");
        }

        throw new SignatureRejection(
            SignatureReasons.SignatureMismatch,
            $"No KeyInfo certificate ({candidates.Count} tried) verifies the SignatureValue with {method.Uri}: " +
            "SignedInfo was changed after signing, or the signer's certificate is not in KeyInfo.");
    }

    private static Outcome Verify(X509Certificate2 certificate, SignatureMethod method, byte[] data, byte[] signatureValue)
    {
        try
        {
            return method.Family switch
            {
                SignatureKeyFamily.RsaPkcs1 => VerifyRsa(certificate, method, data, signatureValue, RSASignaturePadding.Pkcs1),
                SignatureKeyFamily.RsaPss => VerifyRsa(certificate, method, data, signatureValue, RSASignaturePadding.Pss),
                _ => VerifyEcdsa(certificate, method, data, signatureValue),
            };
        }
        catch (CryptographicException)
        {
            // An unreadable key or a value of the wrong size: this candidate did not sign.
            return Outcome.NotVerified;
        }
    }

    private static Outcome VerifyRsa(X509Certificate2 certificate, SignatureMethod method, byte[] data, byte[] value, RSASignaturePadding padding)
    {
        using var rsa = certificate.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(data, value, method.Hash, padding) ? Outcome.Verified : Outcome.NotVerified;
    }

    private static Outcome VerifyEcdsa(X509Certificate2 certificate, SignatureMethod method, byte[] data, byte[] value)
    {
        using var ecdsa = certificate.GetECDsaPublicKey();
        if (ecdsa is null)
        {
            return Outcome.NotVerified;
        }

        if (ecdsa.VerifyData(data, value, method.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return Outcome.Verified;
        }

        // Only to name the mistake in the verdict: a DER value is never accepted.
        return ecdsa.VerifyData(data, value, method.Hash, DSASignatureFormat.Rfc3279DerSequence)
            ? Outcome.DerEncodedEcdsa
            : Outcome.NotVerified;
    }

    private enum Outcome
    {
        NotVerified,
        Verified,
        DerEncodedEcdsa,
    }
}
