using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using Pec.Signing.Seal;
using Pec.Signing.Sealing;
using Pec.Signing.Timestamping;

namespace Pec.Signing.Receipts;

/// <summary>
/// Verifies a signed receipt against a caller-given set of trusted CAs (never the machine store)
/// and reads its content back.
/// </summary>
public sealed class ReceiptVerifier
{
    private readonly TimeProvider _timeProvider;
    private readonly ReceiptVerifierOptions _options;

    /// <summary>Creates a verifier checking certificate validity at the current system time.</summary>
    public ReceiptVerifier()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates a verifier checking certificate validity at <paramref name="timeProvider"/>'s current time.</summary>
    public ReceiptVerifier(TimeProvider timeProvider)
        : this(timeProvider, new ReceiptVerifierOptions())
    {
    }

    /// <summary>Creates a verifier with TSA anchors and a validation time rule (see <see cref="ReceiptVerifierOptions"/>).</summary>
    public ReceiptVerifier(TimeProvider timeProvider, ReceiptVerifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SigningTimeTolerance, TimeSpan.Zero, nameof(options));
        XmlDsigAlgorithms.EnsureRegistered();
        _timeProvider = timeProvider;
        _options = options;
    }

    /// <summary>
    /// Verifies <paramref name="receiptXml"/>: signature profile, signature value, XAdES properties (SigningCertificateV2
    /// names the KeyInfo certificate, SigningTime agrees with IssuedAt, SignatureTimeStamp when present), the receipt
    /// content, then the signer certificate chained to one of <paramref name="trustedCertificateAuthorities"/> at the
    /// time <see cref="ReceiptVerifierOptions.ValidationTime"/> selects (revocation not checked).
    /// Receipts sealed by a previous seal verify like any other as long as their CA is among the anchors.
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

        ReceiptXadesProperties? xades = null;
        if (signedXml.SignedInfo!.References.Count == 2)
        {
            try
            {
                xades = ReceiptXadesProperties.Read(signatureElement, ((Reference)signedXml.SignedInfo.References[1]!).Uri![1..]);
            }
            catch (FormatException ex)
            {
                return ReceiptVerificationResult.Invalid($"The XAdES properties are malformed: {ex.Message}");
            }
        }

        var signer = ReadSignerCertificate(signedXml, out var certificateProblem);
        if (signer is null)
        {
            return ReceiptVerificationResult.Invalid(certificateProblem!);
        }

        ReceiptVerificationResult result;
        try
        {
            result = VerifyWithSigner(root, signatureElement, signedXml, xades, signer, trustedCertificateAuthorities);
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
        XmlElement signatureElement,
        SignedXml signedXml,
        ReceiptXadesProperties? xades,
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

        var certificateProblem = xades is null ? null : FindSigningCertificateProblem(xades, signer);
        if (certificateProblem is not null)
        {
            return ReceiptVerificationResult.Invalid(certificateProblem);
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

        DateTimeOffset? timestampTime = null;
        if (xades is not null)
        {
            var timeProblem = FindTimeProblem(xades, receipt, signatureElement, out timestampTime);
            if (timeProblem is not null)
            {
                return ReceiptVerificationResult.Invalid(timeProblem);
            }
        }

        var validationTime = _options.ValidationTime == ReceiptValidationTime.SealingTime
            ? timestampTime ?? xades?.SigningTime ?? _timeProvider.GetUtcNow()
            : _timeProvider.GetUtcNow();
        var chainProblem = TrustChain.FindProblem(signer, trustedCertificateAuthorities, validationTime);
        if (chainProblem is not null)
        {
            return ReceiptVerificationResult.Invalid(chainProblem);
        }

        return xades is null
            ? ReceiptVerificationResult.Valid(receipt, signer)
            : ReceiptVerificationResult.Valid(receipt, signer, xades.SigningTime, timestampTime);
    }

    private static string? FindSigningCertificateProblem(ReceiptXadesProperties xades, X509Certificate2 signer)
    {
        if (!CryptographicOperations.FixedTimeEquals(xades.CertificateDigest, signer.GetCertHash(HashAlgorithmName.SHA256)))
        {
            return "SigningCertificateV2 does not name the KeyInfo certificate (CertDigest differs from its SHA-256 digest).";
        }

        if (xades.IssuerSerial is { } issuerSerial && !issuerSerial.AsSpan().SequenceEqual(EssCertificateId.EncodeIssuerSerial(signer)))
        {
            return "SigningCertificateV2 does not name the KeyInfo certificate (IssuerSerialV2 differs from its issuer and serial number).";
        }

        return null;
    }

    private string? FindTimeProblem(
        ReceiptXadesProperties xades, ReceiptDocument receipt, XmlElement signatureElement, out DateTimeOffset? timestampTime)
    {
        timestampTime = null;
        var tolerance = _options.SigningTimeTolerance;
        if ((xades.SigningTime - receipt.IssuedAt).Duration() > tolerance)
        {
            return $"The XAdES SigningTime {xades.SigningTime:O} differs from IssuedAt {receipt.IssuedAt:O} by more than {tolerance}.";
        }

        if (xades.SignatureTimestampToken is not { } token)
        {
            return null;
        }

        if (_options.TrustedTsaCertificates.Count == 0)
        {
            return "The receipt carries a SignatureTimeStamp but no TSA trust anchor is configured to check it.";
        }

        var signatureValue = signatureElement.ChildNodes.OfType<XmlElement>()
            .Single(e => e.LocalName == XadesNames.SignatureValue && e.NamespaceURI == SignedXml.XmlDsigNamespaceUrl);
        var problem = SignatureTimestamp.FindProblem(token, signatureValue, _options.TrustedTsaCertificates, out var time);
        if (problem is not null)
        {
            return $"The SignatureTimeStamp is invalid: {problem}";
        }

        if (time < xades.SigningTime - tolerance)
        {
            return $"The SignatureTimeStamp time {time:O} is earlier than the SigningTime {xades.SigningTime:O}.";
        }

        timestampTime = time;
        return null;
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
