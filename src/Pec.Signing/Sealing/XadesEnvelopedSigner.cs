using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Xml;
using Pec.Signing.Receipts;
using Pec.Signing.Seal;

namespace Pec.Signing.Sealing;

/// <summary>
/// Computes an enveloped XAdES baseline B-B signature (ETSI EN 319 132-1) with the platform seal:
/// Reference URI="" (enveloped-signature, exc-c14n) first, then a Reference to xades:SignedProperties
/// carrying SigningTime and SigningCertificateV2.
/// </summary>
internal static class XadesEnvelopedSigner
{
    /// <summary>
    /// Returns the ds:Signature element for <paramref name="document"/>, owned by another document:
    /// the caller imports it where it belongs (a direct child of the root element).
    /// </summary>
    public static XmlElement ComputeSignature(XmlDocument document, PlatformSeal seal, DateTimeOffset signingTime)
    {
        XmlDsigAlgorithms.EnsureRegistered();

        // Random ids: they only need to be unique within the document, and a fixed prefix could collide with the payload's.
        var suffix = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        var signatureId = $"pec-signature-{suffix}";
        var signedPropertiesId = $"pec-signed-properties-{suffix}";

        var qualifyingProperties = BuildQualifyingProperties(seal, signingTime, signatureId, signedPropertiesId, out var signedProperties);

        var signedXml = new SignedPropertiesAwareSignedXml(document, signedPropertiesId, signedProperties)
        {
            SigningKey = seal.SigningKey,
        };
        signedXml.Signature.Id = signatureId;
        signedXml.SignedInfo!.CanonicalizationMethod = XmlDsigAlgorithms.ExclusiveC14N;
        signedXml.SignedInfo.SignatureMethod = seal.SignatureMethod;

        var documentReference = new Reference(string.Empty) { DigestMethod = XmlDsigAlgorithms.Sha256 };
        documentReference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        documentReference.AddTransform(new XmlDsigExcC14NTransform());
        signedXml.AddReference(documentReference);

        var propertiesReference = new Reference("#" + signedPropertiesId)
        {
            Type = XadesNames.SignedPropertiesType,
            DigestMethod = XmlDsigAlgorithms.Sha256,
        };
        propertiesReference.AddTransform(new XmlDsigExcC14NTransform());
        signedXml.AddReference(propertiesReference);

        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(seal.Certificate));
        signedXml.KeyInfo = keyInfo;

        var dataObject = new DataObject();
        dataObject.Data = qualifyingProperties.SelectNodes("self::node()")!;
        signedXml.AddObject(dataObject);
        signedXml.ComputeSignature();
        return signedXml.GetXml();
    }

    private static XmlElement BuildQualifyingProperties(
        PlatformSeal seal,
        DateTimeOffset signingTime,
        string signatureId,
        string signedPropertiesId,
        out XmlElement signedProperties)
    {
        var owner = new XmlDocument { PreserveWhitespace = true };
        var qualifyingProperties = CreateXades(owner, XadesNames.QualifyingProperties);
        // Declared here so that every XAdES element and the ds: elements inside CertDigest share one declaration.
        qualifyingProperties.SetAttribute("xmlns:" + XadesNames.Prefix, XadesNames.Namespace);
        qualifyingProperties.SetAttribute("xmlns:" + XadesNames.DsPrefix, SignedXml.XmlDsigNamespaceUrl);
        qualifyingProperties.SetAttribute(XadesNames.Target, "#" + signatureId);
        owner.AppendChild(qualifyingProperties);

        signedProperties = CreateXades(owner, XadesNames.SignedProperties);
        signedProperties.SetAttribute(XadesNames.Id, signedPropertiesId);
        qualifyingProperties.AppendChild(signedProperties);

        var signatureProperties = Append(signedProperties, XadesNames.SignedSignatureProperties);
        Append(signatureProperties, XadesNames.SigningTime).InnerText = XadesTime.Format(signingTime);

        var cert = Append(Append(signatureProperties, XadesNames.SigningCertificateV2), XadesNames.Cert);
        var certDigest = Append(cert, XadesNames.CertDigest);
        var digestMethod = owner.CreateElement(XadesNames.DsPrefix, XadesNames.DigestMethod, SignedXml.XmlDsigNamespaceUrl);
        digestMethod.SetAttribute(XadesNames.Algorithm, XmlDsigAlgorithms.Sha256);
        certDigest.AppendChild(digestMethod);
        var digestValue = owner.CreateElement(XadesNames.DsPrefix, XadesNames.DigestValue, SignedXml.XmlDsigNamespaceUrl);
        digestValue.InnerText = Convert.ToBase64String(seal.Certificate.GetCertHash(HashAlgorithmName.SHA256));
        certDigest.AppendChild(digestValue);
        Append(cert, XadesNames.IssuerSerialV2).InnerText = Convert.ToBase64String(EssCertificateId.EncodeIssuerSerial(seal.Certificate));

        return qualifyingProperties;
    }

    private static XmlElement CreateXades(XmlDocument owner, string localName) =>
        owner.CreateElement(XadesNames.Prefix, localName, XadesNames.Namespace);

    private static XmlElement Append(XmlElement parent, string localName)
    {
        var child = CreateXades(parent.OwnerDocument, localName);
        parent.AppendChild(child);
        return child;
    }

    /// <summary>
    /// SignedXml resolves "#id" references only in the signed document, where the ds:Object does not exist yet
    /// while the signature is computed; this subclass hands it the SignedProperties element it is about to embed.
    /// </summary>
    private sealed class SignedPropertiesAwareSignedXml(XmlDocument document, string signedPropertiesId, XmlElement signedProperties)
        : SignedXml(document)
    {
        public override XmlElement? GetIdElement(XmlDocument? document, string idValue) =>
            idValue == signedPropertiesId ? signedProperties : base.GetIdElement(document, idValue);
    }
}
