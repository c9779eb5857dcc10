using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Pec.Signing.Timestamping;
using Pec.Signing.Verification.Dsig;
using Pec.Signing.Verification.Xml;

namespace Pec.Signing.Verification.Xades;

/// <summary>
/// Verifies the XAdES B-T SignatureTimeStamp elements of a signature
/// (ds:Object/xades:QualifyingProperties/xades:UnsignedProperties/xades:UnsignedSignatureProperties/xades:SignatureTimeStamp).
/// Each one must be a DER RFC 3161 token whose imprint is the hash of the canonical ds:SignatureValue element, signed by
/// a TSA that chains to a configured anchor and carries the critical timeStamping extended key usage (RFC 3161, 2.3).
/// </summary>
internal static class SignatureTimestampVerifier
{
    /// <summary>Maximum number of SignatureTimeStamp elements examined; each costs a CMS verification and a chain build.</summary>
    public const int MaxTimestamps = 4;

    /// <summary>The only EncapsulatedTimeStamp Encoding accepted besides none (XAdES 1.3.2, 7.1.4.1).</summary>
    private const string DerEncoding = "http://uri.etsi.org/01903/v1.2.2#DER";

    /// <summary>
    /// Returns the earliest time of the verified time-stamps, or null when the signature carries none.
    /// </summary>
    /// <exception cref="SignatureRejection"><c>timestamp-invalid</c> when any time-stamp present fails a check.</exception>
    public static DateTimeOffset? Verify(DsigSignature signature, X509Certificate2Collection tsaAnchors)
    {
        var timestamps = FindTimestamps(signature.Element);
        if (timestamps.Count == 0)
        {
            return null;
        }

        if (timestamps.Count > MaxTimestamps)
        {
            throw Invalid($"the signature carries {timestamps.Count} SignatureTimeStamp elements; at most {MaxTimestamps} are examined");
        }

        var signatureValue = signature.Element.ChildNodes.OfType<XmlElement>()
            .First(element => element.LocalName == "SignatureValue" && element.NamespaceURI == XmlNamespaces.Dsig);

        DateTimeOffset? earliest = null;
        foreach (var timestamp in timestamps)
        {
            var time = VerifyOne(timestamp, signatureValue, tsaAnchors);
            earliest = earliest is null || time < earliest ? time : earliest;
        }

        return earliest;
    }

    private static List<XmlElement> FindTimestamps(XmlElement signatureElement)
    {
        var timestamps = new List<XmlElement>();
        foreach (var dataObject in Children(signatureElement, "Object", XmlNamespaces.Dsig))
        {
            foreach (var qualifying in Children(dataObject, "QualifyingProperties", XmlNamespaces.Xades132))
            {
                var unsignedSignatureProperties = Children(qualifying, "UnsignedProperties", XmlNamespaces.Xades132)
                    .SelectMany(unsigned => Children(unsigned, "UnsignedSignatureProperties", XmlNamespaces.Xades132));
                foreach (var properties in unsignedSignatureProperties)
                {
                    timestamps.AddRange(Children(properties, "SignatureTimeStamp", XmlNamespaces.Xades132));
                }
            }
        }

        return timestamps;
    }

    private static DateTimeOffset VerifyOne(XmlElement timestamp, XmlElement signatureValue, X509Certificate2Collection tsaAnchors)
    {
        var canonicalization = ReadCanonicalization(timestamp);
        var token = ReadToken(timestamp);

        var hash = token.TokenInfo.HashAlgorithmId.Value switch
        {
            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            var other => throw Invalid($"the time-stamp imprint uses the hash algorithm {other}; accepted are SHA-256, SHA-384 and SHA-512"),
        };

        var timestampedData = ReferenceDigester.CanonicalizeElement(signatureValue, canonicalization);
        var imprint = CryptographicOperations.HashData(hash, timestampedData);
        if (!CryptographicOperations.FixedTimeEquals(imprint, token.TokenInfo.GetMessageHash().Span))
        {
            throw Invalid($"the time-stamp does not cover this ds:SignatureValue (canonicalized with {canonicalization.Algorithm})");
        }

        var timestampTime = token.TokenInfo.Timestamp;
        try
        {
            // The certificate belongs to the token's SignedCms, which the token keeps; it is not disposed here.
            if (!token.VerifySignatureForHash(imprint, hash, out var tsaCertificate) || tsaCertificate is null)
            {
                throw Invalid("the time-stamp token signature is invalid, or the token does not carry the TSA certificate");
            }

            if (tsaCertificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SingleOrDefault() is not { Critical: true } usage
                || usage.EnhancedKeyUsages.Count != 1
                || usage.EnhancedKeyUsages[0].Value != TsaTrust.TimeStampingOid)
            {
                throw Invalid($"the TSA certificate '{tsaCertificate.Subject}' lacks a critical extended key usage with timeStamping as its only purpose");
            }

            if (TsaTrust.FindChainProblem(tsaCertificate, tsaAnchors, timestampTime) is { } problem)
            {
                throw Invalid(problem);
            }
        }
        catch (CryptographicException ex)
        {
            throw Invalid($"the time-stamp cannot be checked: {ex.Message}");
        }

        return timestampTime;
    }

    private static DsigTransform ReadCanonicalization(XmlElement timestamp)
    {
        var methods = Children(timestamp, "CanonicalizationMethod", XmlNamespaces.Dsig).ToList();
        if (methods.Count > 1)
        {
            throw Invalid("a SignatureTimeStamp has more than one ds:CanonicalizationMethod");
        }

        if (methods.Count == 0)
        {
            // XAdES 1.3.2, 7.1.4.1: without CanonicalizationMethod the input is canonicalized with inclusive C14N 1.0.
            return new DsigTransform(DsigAlgorithms.InclusiveC14N, null);
        }

        var algorithm = methods[0].GetAttribute("Algorithm");
        if (!DsigAlgorithms.IsCanonicalization(algorithm))
        {
            throw Invalid($"the SignatureTimeStamp CanonicalizationMethod '{algorithm}' is not inclusive or exclusive C14N 1.0");
        }

        var prefixList = Children(methods[0], "InclusiveNamespaces", XmlNamespaces.ExclusiveC14N).FirstOrDefault()?.GetAttribute("PrefixList");
        return new DsigTransform(algorithm, prefixList);
    }

    private static Rfc3161TimestampToken ReadToken(XmlElement timestamp)
    {
        var encapsulated = Children(timestamp, "EncapsulatedTimeStamp", XmlNamespaces.Xades132).ToList();
        if (encapsulated.Count != 1)
        {
            throw Invalid($"a SignatureTimeStamp must contain exactly one EncapsulatedTimeStamp (found {encapsulated.Count}; XMLTimeStamp is not supported)");
        }

        var encoding = encapsulated[0].GetAttributeNode("Encoding")?.Value;
        if (encoding is not null && encoding != DerEncoding)
        {
            throw Invalid($"the EncapsulatedTimeStamp Encoding '{encoding}' is not supported; only DER is");
        }

        byte[] der;
        try
        {
            der = Convert.FromBase64String(encapsulated[0].InnerText);
        }
        catch (FormatException)
        {
            throw Invalid("the EncapsulatedTimeStamp is not valid base64");
        }

        if (!Rfc3161TimestampToken.TryDecode(der, out var token, out var consumed) || consumed != der.Length)
        {
            throw Invalid("the EncapsulatedTimeStamp is not a DER RFC 3161 time-stamp token");
        }

        return token;
    }

    private static IEnumerable<XmlElement> Children(XmlElement parent, string localName, string namespaceUri) =>
        parent.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == localName && e.NamespaceURI == namespaceUri);

    private static SignatureRejection Invalid(string problem) =>
        new(SignatureReasons.TimestampInvalid, $"The XAdES SignatureTimeStamp is invalid: {problem}.");
}
