using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Pec.Signing.Tests.Support;
using Pec.Signing.Tests.Verification.Support;
using Pec.Signing.Verification;
using Pec.Signing.Verification.Cades;

namespace Pec.Signing.Tests.Verification.Cades;

/// <summary>Produces detached CMS signatures with openssl and with .NET SignedCms for the CAdES verifier tests.</summary>
internal static class CmsSamples
{
    public static readonly byte[] Payload = [.. "%PDF-1.7 rapport annuel\n"u8, 0x00, 0xFF, 0x10, .. "fin\n"u8];

    // One minute back, so that it falls inside the validity of signers created earlier in the run (valid from five minutes before creation).
    public static readonly DateTimeOffset SigningTime = VerificationPki.Now.AddMinutes(-1);

    /// <summary>
    /// A verifier whose RGS** level trusts the test CA that issued <see cref="TestPolicy"/>'s signers; the RGS*
    /// CRL stays configured, so the revoked signer is detected.
    /// </summary>
    public static CadesSignatureVerifier Verifier() =>
        new(TestPolicy.Shared.Options(options => options.Levels[SignatureLevels.RgsTwoStars] = TestPolicy.Level(TestPolicy.Shared.RgsOneStarCaPath)),
            TimeProvider.System);

    /// <summary>Runs <c>openssl cms -sign -binary</c> over <see cref="Payload"/>, with <paramref name="extra"/> arguments.</summary>
    public static async Task<byte[]> SignWithOpenSslAsync(X509Certificate2 signer, string digest = "sha256", params string[] extra)
    {
        using var temp = new TempDirectory();
        VerificationPki.WritePem(signer, temp.File("cert.pem"));
        await File.WriteAllTextAsync(temp.File("key.pem"), ExportPrivateKeyPem(signer));
        await File.WriteAllBytesAsync(temp.File("payload.bin"), Payload);
        await ExternalTool.OpenSslAsync(
            temp.Path,
            ["cms", "-sign", "-binary", "-in", "payload.bin", "-signer", "cert.pem", "-inkey", "key.pem",
             "-outform", "DER", "-out", "sig.p7s", "-md", digest, .. extra]);
        return await File.ReadAllBytesAsync(temp.File("sig.p7s"));
    }

    /// <summary>A SignedData with certificates and no SignerInfo, as <c>openssl crl2pkcs7 -nocrl</c> writes it.</summary>
    public static async Task<byte[]> UnsignedWithOpenSslAsync(X509Certificate2 certificate)
    {
        using var temp = new TempDirectory();
        VerificationPki.WritePem(certificate, temp.File("cert.pem"));
        await ExternalTool.OpenSslAsync(temp.Path, "crl2pkcs7", "-nocrl", "-certfile", "cert.pem", "-outform", "DER", "-out", "certs.p7b");
        return await File.ReadAllBytesAsync(temp.File("certs.p7b"));
    }

    /// <summary>A detached SignedCms made by .NET, with signingTime and, unless null, the given signing-certificate-v2 target.</summary>
    public static byte[] SignWithDotNet(
        X509Certificate2 signer,
        HashAlgorithmName? digest = null,
        RSASignaturePadding? padding = null,
        X509Certificate2? signingCertificateV2 = null,
        bool addSigningCertificateV2 = true,
        byte[]? content = null)
    {
        var cms = new SignedCms(new ContentInfo(content ?? Payload), detached: true);
        var cmsSigner = padding is null
            ? new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer)
            : new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer, signer.GetRSAPrivateKey(), padding);
        cmsSigner.DigestAlgorithm = Oid.FromOidValue(
            (digest ?? HashAlgorithmName.SHA256).Name switch
            {
                "SHA384" => "2.16.840.1.101.3.4.2.2",
                "SHA512" => "2.16.840.1.101.3.4.2.3",
                "SHA1" => "1.3.14.3.2.26",
                _ => "2.16.840.1.101.3.4.2.1",
            },
            OidGroup.HashAlgorithm);
        cmsSigner.IncludeOption = X509IncludeOption.EndCertOnly;
        cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(SigningTime.UtcDateTime));
        if (addSigningCertificateV2)
        {
            cmsSigner.SignedAttributes.Add(SigningCertificateV2(signingCertificateV2 ?? signer));
        }

        cms.ComputeSignature(cmsSigner, silent: true);
        return cms.Encode();
    }

    /// <summary>An ESS signing-certificate-v2 attribute (RFC 5035) naming <paramref name="certificate"/> by its SHA-256.</summary>
    public static AsnEncodedData SigningCertificateV2(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteOctetString(SHA256.HashData(certificate.RawData));
                }
            }
        }

        return new AsnEncodedData(SigningCertificateAttribute.V2Oid, writer.Encode());
    }

    private static string ExportPrivateKeyPem(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is not null)
        {
            return rsa.ExportPkcs8PrivateKeyPem();
        }

        using var ecdsa = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The test signers have RSA or ECDSA keys.");
        return ecdsa.ExportPkcs8PrivateKeyPem();
    }
}
