using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Verification.Trust;

/// <summary>A chain from the signer (first) to the anchor (last), releasing the certificate copies X509Chain handed out.</summary>
internal sealed class CertificateChain : IDisposable
{
    private readonly X509Certificate2 _signer;

    public CertificateChain(X509Certificate2 signer, IReadOnlyList<X509Certificate2> certificates)
    {
        _signer = signer;
        Certificates = certificates;
    }

    public IReadOnlyList<X509Certificate2> Certificates { get; }

    public void Dispose()
    {
        foreach (var certificate in Certificates)
        {
            if (!ReferenceEquals(certificate, _signer))
            {
                certificate.Dispose();
            }
        }
    }
}
