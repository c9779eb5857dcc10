using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Pec.Signing.Verification.Dsig;
using Pec.Signing.Verification.Trust;

namespace Pec.Signing.Verification.Jws;

/// <summary>
/// Decides whether a compact JWS with detached payload (RFC 7515 appendix F, and RFC 7797 <c>b64:false</c>) over a
/// JSON payload meets a signature level, with the trust, revocation, key and algorithm rules of
/// <see cref="XmlSignatureVerifier"/> and the same reason codes. A bad signature gives a verdict with the reason, not
/// an exception. Thread-safe, so one instance serves the whole application.
/// </summary>
/// <remarks>
/// JWS has no digest separate from the signature, so any change to the payload, the header or the signature gives
/// <c>signature-mismatch</c>. The signer is x5c[0]. The jwk, kid, x5u and jku are ignored and nothing is fetched.
/// </remarks>
public sealed class JwsSignatureVerifier
{
    /// <summary>Maximum length of the compact serialization. Longer input is rejected as <c>malformed-signature</c>.</summary>
    public const int MaxJwsLength = 1024 * 1024;

    private readonly SignaturePolicy _policy;
    private readonly TimeProvider _timeProvider;

    /// <summary>Loads the anchors and CRLs of <paramref name="options"/>.</summary>
    /// <exception cref="InvalidOperationException">A file is missing or unreadable, or a setting is invalid.</exception>
    public JwsSignatureVerifier(SignaturePolicyOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _policy = SignaturePolicy.Load(options);
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Verifies <paramref name="compactJwsWithEmptyPayload"/> (<c>header..signature</c>) over <paramref name="payload"/>
    /// against <paramref name="requiredLevel"/> (one of <see cref="SignatureLevels"/>). Certificates are checked at the
    /// header's sigT or iat when there is one, otherwise at <paramref name="at"/>. CRLs must be current at
    /// <paramref name="at"/>, which defaults to now. For level <c>none</c> the verdict is always valid, but a JWS present is
    /// still examined. An empty string means the payload is unsigned.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="requiredLevel"/> is not a known level.</exception>
    public SignatureVerdict VerifyDetachedJws(byte[] payload, string compactJwsWithEmptyPayload, string requiredLevel, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(compactJwsWithEmptyPayload);
        ArgumentNullException.ThrowIfNull(requiredLevel);
        var rank = SignatureLevels.Rank(requiredLevel);
        if (rank < 0)
        {
            throw new ArgumentException(
                $"'{requiredLevel}' is not a signature level; expected one of {string.Join(", ", SignatureLevels.Ordered)}.", nameof(requiredLevel));
        }

        var verificationTime = at ?? _timeProvider.GetUtcNow();
        if (compactJwsWithEmptyPayload.Length == 0)
        {
            return rank == 0
                ? new SignatureVerdict(null, "The payload is not signed, and level none requires no signature.", requiredLevel, SignatureLevels.None, null, [])
                : new SignatureVerdict(SignatureReasons.MissingSignature, "No JWS was given for the payload.", requiredLevel, null, null, []);
        }

        var report = new SignatureReport(null, SignatureReasons.UnsupportedSignature, "The JWS was not examined.");
        try
        {
            Inspect(payload, compactJwsWithEmptyPayload, rank, verificationTime, report);
        }
        catch (SignatureRejection rejection)
        {
            report.Reject(rejection.Reason, rejection.Message);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException or InvalidOperationException)
        {
            // Safety net for inputs the checks did not foresee, such as a certificate that breaks chain building.
            report.Reject(SignatureReasons.UnsupportedSignature, $"The JWS cannot be processed: {ex.Message}");
        }

        if (rank == 0)
        {
            var detail = report.IsValid ? $"Level none requires no signature. {report.Detail}" : $"Level none requires no signature; the JWS is not valid: {report.Detail}";
            return new SignatureVerdict(null, detail, requiredLevel, report.IsValid ? report.LevelMet : SignatureLevels.None, report, [report]);
        }

        return new SignatureVerdict(report.Reason, report.Detail, requiredLevel, report.LevelMet, report, [report]);
    }

    private void Inspect(byte[] payload, string jws, int requiredRank, DateTimeOffset verificationTime, SignatureReport report)
    {
        if (jws.Length > MaxJwsLength)
        {
            throw new SignatureRejection(SignatureReasons.MalformedSignature, $"The JWS is {jws.Length} characters long; at most {MaxJwsLength} are accepted.");
        }

        var parts = jws.Split('.');
        if (parts.Length != 3)
        {
            throw new SignatureRejection(
                SignatureReasons.MalformedSignature, $"The JWS has {parts.Length} dot-separated parts; the compact serialization has 3.");
        }

        if (parts[1].Length != 0)
        {
            throw new SignatureRejection(
                SignatureReasons.UnsupportedSignature, "The JWS carries its payload; PEC verifies detached JWS (header..signature) against the transmitted payload only.");
        }

        var headerBytes = Base64UrlStrict.Decode(parts[0], "protected header");
        var signatureValue = Base64UrlStrict.Decode(parts[2], "signature");
        var header = JwsHeader.Parse(headerBytes);
        var algorithm = JwsAlgorithms.Get(header.Algorithm);
        report.Algorithms = new SignatureAlgorithms(algorithm.Name, string.Empty, []);
        report.SigningTime = header.SigningTime;

        var certificates = LoadCertificates(header);
        try
        {
            var signer = certificates[0];
            var signingInput = SigningInput(parts[0], payload, header.EncodePayload);
            JwsSignatureCheck.Verify(signer, algorithm, signingInput, signatureValue);
            report.Signer = new SignerIdentity(signer);

            CheckThumbprints(header, signer);

            // The certificates must be valid at the claimed signing time. A claimed time in the future falls back to now.
            var signingTime = header.SigningTime is { } claimed && claimed < verificationTime ? claimed : verificationTime;
            SignerKeyRules.Check(signer, signingTime);

            var intermediates = new X509Certificate2Collection();
            intermediates.AddRange(certificates.Skip(1).ToArray());
            var decision = new TrustEvaluator(_policy).Evaluate(signer, intermediates, signingTime, verificationTime, requiredRank);
            report.LevelMet = decision.LevelMet;
            if (decision.Reason is not null)
            {
                throw new SignatureRejection(decision.Reason, decision.Detail);
            }

            report.Accept(decision.Detail);
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                if (!ReferenceEquals(certificate, report.Signer?.Certificate))
                {
                    certificate.Dispose();
                }
            }
        }
    }

    /// <summary>ASCII(protected) || '.' || payload, where payload is base64url-encoded unless b64 is false (RFC 7797 section 3).</summary>
    private static byte[] SigningInput(string protectedHeader, byte[] payload, bool encodePayload)
    {
        var encodedPayload = encodePayload ? Encoding.ASCII.GetBytes(Base64Url.EncodeToString(payload)) : payload;
        var input = new byte[protectedHeader.Length + 1 + encodedPayload.Length];
        Encoding.ASCII.GetBytes(protectedHeader, input);
        input[protectedHeader.Length] = (byte)'.';
        encodedPayload.CopyTo(input, protectedHeader.Length + 1);
        return input;
    }

    private static void CheckThumbprints(JwsHeader header, X509Certificate2 signer)
    {
        // x5t is SHA-1, accepted as for XAdES CertDigest: it names a certificate that the verifier already has and compares in full.
        foreach (var (name, value, hash) in new[]
        {
            ("x5t#S256", header.CertificateSha256Thumbprint, HashAlgorithmName.SHA256),
            ("x5t", header.CertificateSha1Thumbprint, HashAlgorithmName.SHA1),
        })
        {
            if (value is null)
            {
                continue;
            }

            var expected = Base64UrlStrict.Decode(value, name);
            if (!CryptographicOperations.FixedTimeEquals(expected, CryptographicOperations.HashData(hash, signer.RawData)))
            {
                throw new SignatureRejection(
                    SignatureReasons.SigningCertificateMismatch,
                    $"The JWS {name} does not match the x5c certificate that verified the signature ('{signer.Subject}').");
            }
        }
    }

    private static List<X509Certificate2> LoadCertificates(JwsHeader header)
    {
        var certificates = new List<X509Certificate2>();
        try
        {
            foreach (var der in header.Certificates)
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }
        }
        catch (CryptographicException ex)
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }

            throw new SignatureRejection(SignatureReasons.UnsupportedSignature, $"An x5c certificate cannot be read: {ex.Message}");
        }

        return certificates;
    }
}
