using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Pec.Signing.Verification.Trust;

namespace Pec.Signing.Verification.Cades;

/// <summary>
/// Runs every check on one CMS SignerInfo, cheapest first: algorithms, signed attributes, signer certificate, message
/// digest, signature value, signing-certificate binding, key strength, trust. The first failed check gives the report
/// its reason.
/// </summary>
internal sealed class SignerInfoInspector
{
    public const string IdData = "1.2.840.113549.1.7.1";

    private const string ContentTypeOid = "1.2.840.113549.1.9.3";
    private const string MessageDigestOid = "1.2.840.113549.1.9.4";
    private const string SigningTimeOid = "1.2.840.113549.1.9.5";

    private readonly byte[] _content;
    private readonly X509Certificate2Collection _certificates;
    private readonly TrustEvaluator _trust;
    private readonly int _requiredRank;
    private readonly DateTimeOffset _verificationTime;

    public SignerInfoInspector(byte[] content, X509Certificate2Collection certificates, TrustEvaluator trust, int requiredRank, DateTimeOffset verificationTime)
    {
        _content = content;
        _certificates = certificates;
        _trust = trust;
        _requiredRank = requiredRank;
        _verificationTime = verificationTime;
    }

    public SignatureReport Inspect(SignerInfo signerInfo)
    {
        var report = new SignatureReport(null, SignatureReasons.UnsupportedSignature, "The signer was not examined.");
        try
        {
            InspectCore(signerInfo, report);
        }
        catch (SignatureRejection rejection)
        {
            report.Reject(rejection.Reason, rejection.Message);
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException or FormatException or ArgumentException or InvalidOperationException)
        {
            // Safety net for inputs the checks did not foresee, such as a certificate that breaks chain building.
            report.Reject(SignatureReasons.UnsupportedSignature, $"The signer cannot be processed: {ex.Message}");
        }

        return report;
    }

    private void InspectCore(SignerInfo signerInfo, SignatureReport report)
    {
        var digest = CmsAlgorithms.GetDigest(signerInfo.DigestAlgorithm.Value);
        var signatureUri = CmsAlgorithms.GetSignatureUri(signerInfo.SignatureAlgorithm.Value, digest.Hash);
        report.Algorithms = new SignatureAlgorithms(signatureUri, string.Empty, [digest.Uri]);

        var attributes = ReadSignedAttributes(signerInfo);
        report.SigningTime = attributes.SigningTime;

        var signer = signerInfo.Certificate ?? throw new SignatureRejection(
            SignatureReasons.UnsupportedSignature,
            "The CMS certificates do not contain the signer certificate named by the SignerInfo; the signer must be identified by its certificate.");

        var actualDigest = CryptographicOperations.HashData(digest.Hash, _content);
        if (!CryptographicOperations.FixedTimeEquals(actualDigest, attributes.MessageDigest))
        {
            throw new SignatureRejection(
                SignatureReasons.DigestMismatch,
                $"The {digest.Hash.Name} digest of the content does not match the signed message-digest attribute: the content was changed after signing, or is not the signed one.");
        }

        try
        {
            signerInfo.CheckSignature(verifySignatureOnly: true);
        }
        catch (CryptographicException ex)
        {
            throw new SignatureRejection(
                SignatureReasons.SignatureMismatch,
                $"The signer certificate '{signer.Subject}' does not verify the SignerInfo signature with {signatureUri}: {ex.Message}");
        }

        report.Signer = new SignerIdentity(signer);

        foreach (var (oid, value) in attributes.SigningCertificates)
        {
            SigningCertificateAttribute.Check(oid, value, signer);
        }

        // The certificates must be valid at the claimed signing time. A claimed time in the future falls back to now.
        var signingTime = attributes.SigningTime is { } claimed && claimed < _verificationTime ? claimed : _verificationTime;
        SignerKeyRules.Check(signer, signingTime);

        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in _certificates)
        {
            if (!certificate.RawData.AsSpan().SequenceEqual(signer.RawData))
            {
                intermediates.Add(certificate);
            }
        }

        var decision = _trust.Evaluate(signer, intermediates, signingTime, _verificationTime, _requiredRank);
        report.LevelMet = decision.LevelMet;
        if (decision.Reason is not null)
        {
            throw new SignatureRejection(decision.Reason, decision.Detail);
        }

        report.Accept(decision.Detail);
    }

    /// <summary>
    /// Reads the signed attributes CAdES needs. Each attribute may appear once with one value: a repeated attribute
    /// could make two readers see different values.
    /// </summary>
    private static SignedAttributes ReadSignedAttributes(SignerInfo signerInfo)
    {
        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var attribute in signerInfo.SignedAttributes)
        {
            var oid = attribute.Oid.Value ?? string.Empty;
            if (attribute.Values.Count != 1 || !values.TryAdd(oid, attribute.Values[0].RawData))
            {
                throw new SignatureRejection(
                    SignatureReasons.MalformedSignature, $"The signed attribute {oid} appears more than once or has more than one value.");
            }
        }

        if (values.Count == 0)
        {
            throw new SignatureRejection(
                SignatureReasons.UnsupportedSignature,
                "The SignerInfo has no signed attributes; CAdES requires at least content-type and message-digest.");
        }

        if (!values.TryGetValue(ContentTypeOid, out var contentType) || !values.TryGetValue(MessageDigestOid, out var messageDigest))
        {
            throw new SignatureRejection(
                SignatureReasons.UnsupportedSignature, "The signed attributes lack content-type or message-digest, which CMS requires.");
        }

        var contentTypeOid = Read(contentType, ContentTypeOid, reader => reader.ReadObjectIdentifier());
        if (contentTypeOid != IdData)
        {
            throw new SignatureRejection(
                SignatureReasons.UnsupportedSignature, $"The signed content-type attribute is {contentTypeOid}; only id-data ({IdData}) is accepted.");
        }

        var digest = Read(messageDigest, MessageDigestOid, reader => reader.ReadOctetString());
        DateTimeOffset? signingTime = values.TryGetValue(SigningTimeOid, out var time)
            ? Read(time, SigningTimeOid, ReadTime)
            : null;

        var signingCertificates = new List<(string, ReadOnlyMemory<byte>)>();
        foreach (var oid in new[] { SigningCertificateAttribute.V2Oid, SigningCertificateAttribute.V1Oid })
        {
            if (values.TryGetValue(oid, out var value))
            {
                signingCertificates.Add((oid, value));
            }
        }

        return new SignedAttributes(digest, signingTime, signingCertificates);
    }

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime)
            ? reader.ReadUtcTime()
            : reader.ReadGeneralizedTime();

    private static T Read<T>(byte[] der, string oid, Func<AsnReader, T> read)
    {
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            var value = read(reader);
            reader.ThrowIfNotEmpty();
            return value;
        }
        catch (AsnContentException ex)
        {
            throw new SignatureRejection(SignatureReasons.MalformedSignature, $"The signed attribute {oid} is not valid DER: {ex.Message}");
        }
    }

    private sealed record SignedAttributes(
        byte[] MessageDigest, DateTimeOffset? SigningTime, IReadOnlyList<(string Oid, ReadOnlyMemory<byte> Value)> SigningCertificates);
}
