using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Verification.Trust;

/// <summary>Reads the certificatePolicies extension (RFC 5280), which .NET does not decode.</summary>
internal static class CertificatePolicies
{
    private const string ExtensionOid = "2.5.29.32";

    /// <summary>The policy OIDs the certificate lists; empty without the extension or when it cannot be decoded.</summary>
    public static IReadOnlySet<string> Read(X509Certificate2 certificate)
    {
        var policies = new HashSet<string>(StringComparer.Ordinal);
        if (certificate.Extensions[ExtensionOid] is not { } extension)
        {
            return policies;
        }

        try
        {
            // certificatePolicies ::= SEQUENCE OF PolicyInformation { policyIdentifier OID, policyQualifiers OPTIONAL }
            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            while (sequence.HasData)
            {
                var information = sequence.ReadSequence();
                policies.Add(information.ReadObjectIdentifier());
            }
        }
        catch (AsnContentException)
        {
            // An undecodable extension lists nothing, so an anchor that requires a policy rejects the certificate.
            policies.Clear();
        }
        catch (CryptographicException)
        {
            policies.Clear();
        }

        return policies;
    }
}
