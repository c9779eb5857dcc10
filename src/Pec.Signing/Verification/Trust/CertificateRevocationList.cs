using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Verification.Trust;

/// <summary>
/// An X.509 CRL (RFC 5280) read from a file. .NET can build CRLs but not read them back, so the
/// structure is decoded here. Only complete CRLs are accepted: no delta, indirect or partitioned CRLs.
/// </summary>
internal sealed class CertificateRevocationList
{
    private const string ReasonCodeOid = "2.5.29.21";
    private const int RemoveFromCrlReason = 8;

    // Extensions that may appear without changing what the CRL means for a plain complete CRL.
    private static readonly HashSet<string> KnownCrlExtensions = new(StringComparer.Ordinal)
    {
        "2.5.29.20", // cRLNumber
        "2.5.29.35", // authorityKeyIdentifier
    };

    private static readonly Dictionary<string, (HashAlgorithmName Hash, bool Rsa)> SignatureAlgorithms = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.11"] = (HashAlgorithmName.SHA256, true),
        ["1.2.840.113549.1.1.12"] = (HashAlgorithmName.SHA384, true),
        ["1.2.840.113549.1.1.13"] = (HashAlgorithmName.SHA512, true),
        ["1.2.840.10045.4.3.2"] = (HashAlgorithmName.SHA256, false),
        ["1.2.840.10045.4.3.3"] = (HashAlgorithmName.SHA384, false),
        ["1.2.840.10045.4.3.4"] = (HashAlgorithmName.SHA512, false),
    };

    private readonly Dictionary<BigInteger, DateTimeOffset> _revoked;
    private readonly byte[] _signedPart;
    private readonly byte[] _signature;
    private readonly HashAlgorithmName _hash;
    private readonly bool _rsa;

    private CertificateRevocationList(
        string source, byte[] issuer, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate,
        Dictionary<BigInteger, DateTimeOffset> revoked, byte[] signedPart, byte[] signature, HashAlgorithmName hash, bool rsa)
    {
        Source = source;
        Issuer = issuer;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        _revoked = revoked;
        _signedPart = signedPart;
        _signature = signature;
        _hash = hash;
        _rsa = rsa;
    }

    /// <summary>Where the CRL was read from, for messages.</summary>
    public string Source { get; }

    /// <summary>DER of the issuer Name, compared byte for byte with certificates' issuer names.</summary>
    public ReadOnlyMemory<byte> Issuer { get; }

    public DateTimeOffset ThisUpdate { get; }

    public DateTimeOffset NextUpdate { get; }

    /// <summary>Reads a DER or PEM CRL file.</summary>
    /// <exception cref="InvalidOperationException">The file is missing, unreadable, or not a CRL this class accepts.</exception>
    public static CertificateRevocationList Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidOperationException($"Cannot read the CRL file '{path}': {ex.Message}", ex);
        }

        try
        {
            return Parse(DecodePem(bytes), path);
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException or FormatException)
        {
            throw new InvalidOperationException($"The CRL file '{path}' is not a valid DER or PEM X.509 CRL: {ex.Message}", ex);
        }
    }

    /// <summary>True when <paramref name="issuer"/>'s key signed this CRL and the key usage allows it.</summary>
    public bool IsSignedBy(X509Certificate2 issuer)
    {
        if (issuer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } keyUsage
            && (keyUsage.KeyUsages & X509KeyUsageFlags.CrlSign) == 0)
        {
            return false;
        }

        try
        {
            if (_rsa)
            {
                using var rsa = issuer.GetRSAPublicKey();
                return rsa is not null && rsa.VerifyData(_signedPart, _signature, _hash, RSASignaturePadding.Pkcs1);
            }

            using var ecdsa = issuer.GetECDsaPublicKey();
            return ecdsa is not null && ecdsa.VerifyData(_signedPart, _signature, _hash, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The revocation date of the serial number, when listed.</summary>
    public bool TryGetRevocation(ReadOnlySpan<byte> serialNumberBigEndian, out DateTimeOffset revokedAt) =>
        _revoked.TryGetValue(new BigInteger(serialNumberBigEndian, isUnsigned: false, isBigEndian: true), out revokedAt);

    private static byte[] DecodePem(byte[] bytes)
    {
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        if (!text.Contains("-----BEGIN X509 CRL-----", StringComparison.Ordinal))
        {
            return bytes;
        }

        var fields = PemEncoding.Find(text);
        return Convert.FromBase64String(text[fields.Base64Data]);
    }

    private static CertificateRevocationList Parse(byte[] der, string source)
    {
        // CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING }
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var certificateList = outer.ReadSequence();
        outer.ThrowIfNotEmpty();

        var signedPart = certificateList.PeekEncodedValue().ToArray();
        var tbs = certificateList.ReadSequence();
        var algorithm = ReadAlgorithm(certificateList);
        var signature = certificateList.ReadBitString(out _);
        certificateList.ThrowIfNotEmpty();

        if (!SignatureAlgorithms.TryGetValue(algorithm, out var signatureAlgorithm))
        {
            throw new CryptographicException($"the signature algorithm {algorithm} is not accepted (RSA PKCS#1 v1.5 or ECDSA with SHA-2 only)");
        }

        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger(); // version v2
        }

        if (ReadAlgorithm(tbs) != algorithm)
        {
            throw new CryptographicException("the inner and outer signature algorithms differ");
        }

        var issuer = tbs.PeekEncodedValue().ToArray();
        tbs.ReadSequence();
        var thisUpdate = ReadTime(tbs);
        if (!tbs.HasData || !IsTime(tbs.PeekTag()))
        {
            // RFC 5280 requires nextUpdate. Without it, the verifier cannot tell when the list stops being current.
            throw new CryptographicException("the CRL has no nextUpdate, so its freshness cannot be judged");
        }

        var nextUpdate = ReadTime(tbs);

        var revoked = new Dictionary<BigInteger, DateTimeOffset>();
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            ReadRevokedCertificates(tbs.ReadSequence(), revoked);
        }

        if (tbs.HasData)
        {
            var extensions = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
            while (extensions.HasData)
            {
                var (oid, critical, _) = ReadExtension(extensions);
                if (critical && !KnownCrlExtensions.Contains(oid))
                {
                    throw new CryptographicException($"the critical CRL extension {oid} is not supported (delta, indirect or partitioned CRL)");
                }
            }
        }

        tbs.ThrowIfNotEmpty();
        return new CertificateRevocationList(
            source, issuer, thisUpdate, nextUpdate, revoked, signedPart, signature, signatureAlgorithm.Hash, signatureAlgorithm.Rsa);
    }

    private static void ReadRevokedCertificates(AsnReader entries, Dictionary<BigInteger, DateTimeOffset> revoked)
    {
        while (entries.HasData)
        {
            var entry = entries.ReadSequence();
            var serial = entry.ReadInteger();
            var revocationDate = ReadTime(entry);
            var removed = false;
            if (entry.HasData)
            {
                var extensions = entry.ReadSequence();
                while (extensions.HasData)
                {
                    var (oid, critical, value) = ReadExtension(extensions);
                    if (oid == ReasonCodeOid)
                    {
                        var reason = new AsnReader(value, AsnEncodingRules.DER).ReadEnumeratedBytes();
                        removed = reason.Length == 1 && reason.Span[0] == RemoveFromCrlReason;
                    }
                    else if (critical)
                    {
                        throw new CryptographicException($"the critical CRL entry extension {oid} is not supported (indirect CRL)");
                    }
                }
            }

            if (!removed)
            {
                revoked[serial] = revocationDate;
            }
        }
    }

    private static (string Oid, bool Critical, ReadOnlyMemory<byte> Value) ReadExtension(AsnReader extensions)
    {
        var extension = extensions.ReadSequence();
        var oid = extension.ReadObjectIdentifier();
        var critical = extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
        var value = extension.ReadOctetString();
        extension.ThrowIfNotEmpty();
        return (oid, critical, value);
    }

    private static string ReadAlgorithm(AsnReader reader)
    {
        var algorithm = reader.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        if (algorithm.HasData)
        {
            algorithm.ReadNull();
        }

        algorithm.ThrowIfNotEmpty();
        return oid;
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
}
