using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Pec.Tsa;

/// <summary>
/// Issues RFC 3161 time-stamp tokens signed by the TSA certificate. Tokens carry
/// the ESS signing-certificate-v2 attribute (RFC 5816), which verifiers such as <c>openssl ts</c> require.
/// </summary>
internal sealed class TimestampAuthority : IDisposable
{
    private const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";
    private const string SigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";
    private const string TimeStampingUsage = "1.3.6.1.5.5.7.3.8";

    // Only the SHA-2 family: a SHA-1 or MD5 imprint would not prove anything today.
    private static readonly HashSet<string> AcceptedHashes = new(StringComparer.Ordinal)
    {
        "2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3",
    };

    private readonly X509Certificate2 _certificate;
    private readonly Oid _policy;
    private readonly long _accuracyMicroseconds;
    private readonly TimeProvider _timeProvider;
    private readonly CryptographicAttributeObject _signingCertificateAttribute;

    public TimestampAuthority(IOptions<TsaOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _certificate = Load(settings);
        _policy = new Oid(settings.PolicyOid);
        _accuracyMicroseconds = settings.AccuracyMilliseconds * 1000L;
        _timeProvider = timeProvider;
        _signingCertificateAttribute = CreateSigningCertificateAttribute(_certificate);
    }

    public X509Certificate2 Certificate => _certificate;

    /// <summary>Returns the DER TimeStampResp for a DER TimeStampReq, granted or rejected with the reason.</summary>
    public byte[] Respond(ReadOnlyMemory<byte> requestBytes)
    {
        if (!Rfc3161TimestampRequest.TryDecode(requestBytes, out var request, out var consumed) || consumed != requestBytes.Length)
        {
            return TimestampResponseWriter.Rejected(TimestampFailure.BadDataFormat, "The request is not a DER TimeStampReq.");
        }

        if (!AcceptedHashes.Contains(request.HashAlgorithmId.Value ?? ""))
        {
            return TimestampResponseWriter.Rejected(TimestampFailure.BadAlgorithm, "Only SHA-256, SHA-384 and SHA-512 imprints are accepted.");
        }

        if (request.RequestedPolicyId is { } policy && policy.Value != _policy.Value)
        {
            return TimestampResponseWriter.Rejected(TimestampFailure.UnacceptedPolicy, $"This TSA issues tokens under policy {_policy.Value} only.");
        }

        if (request.HasExtensions)
        {
            return TimestampResponseWriter.Rejected(TimestampFailure.UnacceptedExtension, "Request extensions are not supported.");
        }

        return TimestampResponseWriter.Granted(IssueToken(request));
    }

    public void Dispose() => _certificate.Dispose();

    private byte[] IssueToken(Rfc3161TimestampRequest request)
    {
        // A positive DER INTEGER in minimal form: the first byte in 0x40..0x7F, so it is never zero
        // (a leading zero byte before one under 0x80 is not minimal, and .NET rejects it).
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x3f) | 0x40);
        var info = new Rfc3161TimestampTokenInfo(
            _policy,
            request.HashAlgorithmId,
            request.GetMessageHash(),
            serial,
            _timeProvider.GetUtcNow(),
            _accuracyMicroseconds,
            isOrdering: false,
            request.GetNonce(),
            timestampAuthorityName: null,
            extensions: null);

        var content = new ContentInfo(new Oid(TstInfoContentType), info.Encode());
        var signedCms = new SignedCms(content, detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, _certificate)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),
            // RFC 3161, 2.4.1: the certificate is included only when the request requests it.
            IncludeOption = request.RequestSignerCertificate ? X509IncludeOption.EndCertOnly : X509IncludeOption.None,
        };
        signer.SignedAttributes.Add(_signingCertificateAttribute);
        signedCms.ComputeSignature(signer, silent: true);
        return signedCms.Encode();
    }

    private static X509Certificate2 Load(TsaOptions options)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(options.CertificatePath, options.KeyPath);
        }
        catch (Exception exception) when (exception is IOException or CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"The TSA certificate '{options.CertificatePath}' with key '{options.KeyPath}' cannot be loaded: {exception.Message}", exception);
        }

        var usage = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SingleOrDefault();
        if (usage is null || !usage.Critical || usage.EnhancedKeyUsages.Count != 1 || usage.EnhancedKeyUsages[0].Value != TimeStampingUsage)
        {
            certificate.Dispose();
            throw new InvalidOperationException(
                $"The TSA certificate '{options.CertificatePath}' must carry exactly the timeStamping extended key usage, marked critical (RFC 3161, 2.3).");
        }

        return certificate;
    }

    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }, where ESSCertIDv2 contains the
    // SHA-256 of the certificate; SHA-256 is the default hash, so hashAlgorithm is omitted (RFC 5035).
    private static CryptographicAttributeObject CreateSigningCertificateAttribute(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteOctetString(certificate.GetCertHash(HashAlgorithmName.SHA256));
                }
            }
        }

        var oid = new Oid(SigningCertificateV2);
        return new CryptographicAttributeObject(oid, [new AsnEncodedData(oid, writer.Encode())]);
    }
}
