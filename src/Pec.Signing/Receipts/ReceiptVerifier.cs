using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using Pec.Signing.Seal;

namespace Pec.Signing.Receipts;

/// <summary>
/// Verifies a signed receipt against a caller-given set of trusted CAs (never the machine store)
/// and reads its content back.
/// </summary>
public sealed class ReceiptVerifier
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a verifier checking certificate validity at the current system time.</summary>
    public ReceiptVerifier()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates a verifier checking certificate validity at <paramref name="timeProvider"/>'s current time.</summary>
    public ReceiptVerifier(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        XmlDsigAlgorithms.EnsureRegistered();
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Verifies <paramref name="receiptXml"/>: signature profile, signature value, signer certificate chained to one
    /// of <paramref name="trustedCertificateAuthorities"/> (revocation not checked), then the receipt content.
    /// Never throws for a bad receipt: the result says why it was refused.
    /// </summary>
    public ReceiptVerificationResult Verify(byte[] receiptXml, X509Certificate2Collection trustedCertificateAuthorities)
    {
        ArgumentNullException.ThrowIfNull(receiptXml);
        ArgumentNullException.ThrowIfNull(trustedCertificateAuthorities);

        if (trustedCertificateAuthorities.Count == 0)
        {
            return ReceiptVerificationResult.Invalid("No trusted certificate authority was given.");
        }

        XmlDocument document;
        try
        {
            using var input = new MemoryStream(receiptXml, writable: false);
            document = SecureXml.Load(input);
        }
        catch (XmlException ex)
        {
            return ReceiptVerificationResult.Invalid($"The receipt is not well-formed XML, or contains a DTD: {ex.Message}");
        }

        var root = document.DocumentElement;
        if (root is null || root.LocalName != ReceiptXml.Receipt || root.NamespaceURI != ReceiptXml.Namespace)
        {
            return ReceiptVerificationResult.Invalid($"The root element must be <{ReceiptXml.Receipt}> in namespace {ReceiptXml.Namespace}.");
        }

        var signatures = document.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl);
        if (signatures.Count != 1)
        {
            return ReceiptVerificationResult.Invalid($"The receipt must contain exactly one ds:Signature; found {signatures.Count}.");
        }

        var signatureElement = (XmlElement)signatures[0]!;
        if (signatureElement.ParentNode != root)
        {
            return ReceiptVerificationResult.Invalid("The ds:Signature must be a direct child of the Receipt element.");
        }

        var signedXml = new SignedXml(document);
        try
        {
            signedXml.LoadXml(signatureElement);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            // FormatException: SignedXml decodes base64 values (DigestValue, X509Certificate) without catching.
            return ReceiptVerificationResult.Invalid($"The ds:Signature element is malformed: {ex.Message}");
        }

        var violation = SignatureProfile.FindViolation(signedXml);
        if (violation is not null)
        {
            return ReceiptVerificationResult.Invalid(violation);
        }

        var signer = ReadSignerCertificate(signedXml, out var certificateProblem);
        if (signer is null)
        {
            return ReceiptVerificationResult.Invalid(certificateProblem!);
        }

        ReceiptVerificationResult result;
        try
        {
            result = VerifyWithSigner(root, signedXml, signer, trustedCertificateAuthorities);
        }
        catch (CryptographicException ex)
        {
            // Safety net: a damaged certificate can fail in places (chain building, key import) that the checks above do not cover.
            result = ReceiptVerificationResult.Invalid($"The signer certificate cannot be used: {ex.Message}");
        }

        if (!result.IsValid)
        {
            signer.Dispose();
        }

        return result;
    }

    private ReceiptVerificationResult VerifyWithSigner(
        XmlElement root,
        SignedXml signedXml,
        X509Certificate2 signer,
        X509Certificate2Collection trustedCertificateAuthorities)
    {
        if (!SealKeyRules.HasSignatureKeyUsage(signer))
        {
            return ReceiptVerificationResult.Invalid(
                $"The signer certificate '{signer.Subject}' does not carry the digitalSignature or nonRepudiation key usage.");
        }

        var keyProblem = SealKeyRules.FindKeyProblem(signer, out var signatureMethod);
        if (keyProblem is not null)
        {
            return ReceiptVerificationResult.Invalid(
                $"The signer certificate '{signer.Subject}' {keyProblem}, which PEC does not accept for seals: {SealKeyRules.AcceptedKeys}.");
        }

        if (signedXml.SignatureMethod != signatureMethod)
        {
            return ReceiptVerificationResult.Invalid(
                $"The SignatureMethod {signedXml.SignatureMethod} does not match the signer's key, which calls for {signatureMethod}.");
        }

        bool signatureVerifies;
        try
        {
            // verifySignatureOnly: true, because the certificate checks SignedXml would do use the machine store.
            signatureVerifies = signedXml.CheckSignature(signer, verifySignatureOnly: true);
        }
        catch (CryptographicException ex)
        {
            return ReceiptVerificationResult.Invalid($"The signature cannot be checked: {ex.Message}");
        }

        if (!signatureVerifies)
        {
            return ReceiptVerificationResult.Invalid("The signature does not verify: the receipt was altered or was not signed by this certificate.");
        }

        var chainProblem = TrustChain.FindProblem(signer, trustedCertificateAuthorities, _timeProvider.GetUtcNow());
        if (chainProblem is not null)
        {
            return ReceiptVerificationResult.Invalid(chainProblem);
        }

        ReceiptDocument receipt;
        SealCertificateInfo declaredSeal;
        try
        {
            (receipt, declaredSeal) = ReceiptXmlReader.Read(root);
        }
        catch (FormatException ex)
        {
            return ReceiptVerificationResult.Invalid($"The receipt content is malformed: {ex.Message}");
        }

        // The signed content names its seal; a receipt whose KeyInfo carries another certificate is not coherent.
        if (declaredSeal != SealCertificateInfo.From(signer))
        {
            return ReceiptVerificationResult.Invalid("<SealCertificate> does not describe the certificate that signed the receipt.");
        }

        return ReceiptVerificationResult.Valid(receipt, signer);
    }

    private static X509Certificate2? ReadSignerCertificate(SignedXml signedXml, out string? problem)
    {
        var certificates = signedXml.KeyInfo
            .OfType<KeyInfoX509Data>()
            .SelectMany(data => data.Certificates?.OfType<X509Certificate>() ?? [])
            .ToList();
        if (certificates.Count != 1)
        {
            problem = $"KeyInfo must carry exactly one X509Certificate (the seal certificate); found {certificates.Count}.";
            return null;
        }

        try
        {
            problem = null;
            return X509CertificateLoader.LoadCertificate(certificates[0].GetRawCertData());
        }
        catch (CryptographicException ex)
        {
            problem = $"The KeyInfo certificate cannot be read: {ex.Message}";
            return null;
        }
    }
}
