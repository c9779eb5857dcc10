using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Seal;

/// <summary>
/// The platform seal: the certificate and private key PEC signs its receipts with.
/// The key is checked when the seal is created, so that a wrong key stops the service at start
/// instead of producing receipts nobody can rely on.
/// </summary>
public sealed class PlatformSeal : IDisposable
{
    private readonly bool _ownsCertificate;

    /// <summary>Loads the seal from the PEM files named by <paramref name="options"/>.</summary>
    /// <exception cref="InvalidOperationException">The files cannot be read, or the key or certificate is not acceptable for a seal.</exception>
    public PlatformSeal(PlatformSealOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var certificatePath = options.CertificatePath;
        var keyPath = options.KeyPath;

        // The data annotations already reject empty paths, but the seal can also be built without the options pipeline.
        if (string.IsNullOrWhiteSpace(certificatePath) || string.IsNullOrWhiteSpace(keyPath))
        {
            throw new InvalidOperationException(
                $"The platform seal needs both {PlatformSealOptions.SectionName}:{nameof(PlatformSealOptions.CertificatePath)} " +
                $"and {PlatformSealOptions.SectionName}:{nameof(PlatformSealOptions.KeyPath)}.");
        }

        // The certificate is checked on its own first: a wrong key usage or a weak key is then reported as such,
        // rather than as whatever error pairing it with the private key would raise.
        using (var publicOnly = Load(
            () => X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath)),
            $"Cannot read the platform seal certificate file '{certificatePath}'",
            "Expected a PEM certificate."))
        {
            SignatureMethod = SealKeyRules.Validate(publicOnly, $"certificate file '{certificatePath}' (key file '{keyPath}')");
        }

        Certificate = Load(
            () => X509Certificate2.CreateFromPemFile(certificatePath, keyPath),
            $"Cannot load the platform seal private key file '{keyPath}' for certificate file '{certificatePath}'",
            "Expected the certificate's matching private key, unencrypted, in PEM: PKCS#8 (BEGIN PRIVATE KEY) " +
            "or traditional (BEGIN RSA PRIVATE KEY, BEGIN EC PRIVATE KEY).");
        _ownsCertificate = true;
        try
        {
            SigningKey = SealKeyRules.GetPrivateKey(Certificate, SignatureMethod, $"key file '{keyPath}'");
            PreviousCertificates = LoadPreviousCertificates(options.PreviousCertificatePaths);
        }
        catch
        {
            SigningKey?.Dispose();
            Certificate.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Uses a certificate that already carries its private key (tests, or keys obtained elsewhere).
    /// The caller keeps ownership of <paramref name="certificateWithKey"/>: disposing the seal does not dispose it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The certificate has no private key, or the key or certificate is not acceptable for a seal.</exception>
    public PlatformSeal(X509Certificate2 certificateWithKey)
    {
        ArgumentNullException.ThrowIfNull(certificateWithKey);

        var source = $"certificate '{certificateWithKey.Subject}'";
        if (!certificateWithKey.HasPrivateKey)
        {
            throw new InvalidOperationException($"The platform seal {source} has no private key.");
        }

        SignatureMethod = SealKeyRules.Validate(certificateWithKey, source);
        SigningKey = SealKeyRules.GetPrivateKey(certificateWithKey, SignatureMethod, source);
        Certificate = certificateWithKey;
        PreviousCertificates = [];
    }

    /// <summary>
    /// Uses a certificate that already carries its private key, with the certificates of previous seals (rollover).
    /// The caller keeps ownership of all the certificates.
    /// </summary>
    /// <exception cref="InvalidOperationException">A certificate is not acceptable for a seal, or a previous certificate is the current one.</exception>
    public PlatformSeal(X509Certificate2 certificateWithKey, IEnumerable<X509Certificate2> previousCertificates)
        : this(certificateWithKey)
    {
        ArgumentNullException.ThrowIfNull(previousCertificates);
        var previous = new X509Certificate2Collection();
        foreach (var certificate in previousCertificates)
        {
            ValidatePrevious(certificate, $"previous certificate '{certificate.Subject}'");
            previous.Add(certificate);
        }

        PreviousCertificates = previous;
    }

    /// <summary>The seal certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The XML-DSig SignatureMethod matching the seal key:
    /// <c>http://www.w3.org/2001/04/xmldsig-more#rsa-sha256</c> or <c>http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256</c>.
    /// </summary>
    public string SignatureMethod { get; }

    /// <summary>
    /// Certificates of previous seals, kept during a rollover: receipts name the seal that signed them, and these
    /// are the ones PEC issued before <see cref="Certificate"/>. Never used to sign.
    /// </summary>
    public X509Certificate2Collection PreviousCertificates { get; }

    /// <summary>The current certificate followed by <see cref="PreviousCertificates"/>.</summary>
    public X509Certificate2Collection AllCertificates => [Certificate, .. PreviousCertificates];

    /// <summary>The private key (an <see cref="RSA"/> or <see cref="ECDsa"/> instance owned by the seal).</summary>
    internal AsymmetricAlgorithm SigningKey { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        SigningKey.Dispose();
        if (_ownsCertificate)
        {
            Certificate.Dispose();
            foreach (var previous in PreviousCertificates)
            {
                previous.Dispose();
            }
        }
    }

    private X509Certificate2Collection LoadPreviousCertificates(IEnumerable<string> paths)
    {
        var previous = new X509Certificate2Collection();
        foreach (var path in paths)
        {
            var certificate = Load(
                () => X509Certificate2.CreateFromPem(File.ReadAllText(path)),
                $"Cannot read the previous platform seal certificate file '{path}'",
                $"Expected a PEM certificate ({PlatformSealOptions.SectionName}:{nameof(PlatformSealOptions.PreviousCertificatePaths)}).");
            try
            {
                ValidatePrevious(certificate, $"previous certificate file '{path}'");
            }
            catch
            {
                certificate.Dispose();
                foreach (var loaded in previous)
                {
                    loaded.Dispose();
                }

                throw;
            }

            previous.Add(certificate);
        }

        return previous;
    }

    private void ValidatePrevious(X509Certificate2 certificate, string source)
    {
        // Validity dates are not checked: a previous seal is typically expired or about to be.
        _ = SealKeyRules.Validate(certificate, source);
        if (certificate.RawDataMemory.Span.SequenceEqual(Certificate.RawDataMemory.Span))
        {
            throw new InvalidOperationException($"The platform seal {source} is the current seal certificate; list only previous ones.");
        }
    }

    private static X509Certificate2 Load(Func<X509Certificate2> load, string failure, string expectation)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"{failure}: {ex.Message} {expectation}", ex);
        }
    }
}
