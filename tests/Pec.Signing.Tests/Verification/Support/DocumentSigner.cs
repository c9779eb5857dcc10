using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using Pec.Signing.Verification.Algorithms;

namespace Pec.Signing.Tests.Verification.Support;

/// <summary>Signs test documents with .NET SignedXml, the way an administration's software would.</summary>
public static class DocumentSigner
{
    public const string XadesNamespace = "http://uri.etsi.org/01903/v1.3.2#";
    public const string SignedPropertiesType = "http://uri.etsi.org/01903#SignedProperties";
    public const string SignatureId = "signature-1";
    public const string SignedPropertiesId = "signature-1-signed-properties";

    /// <summary>Signs a copy of <paramref name="unsignedDocument"/> and appends the signature to its document element.</summary>
    public static byte[] Sign(XmlDocument unsignedDocument, X509Certificate2 signer, SigningProfile? profile = null)
    {
        VerificationAlgorithms.EnsureRegistered();
        profile ??= new SigningProfile();
        var document = Copy(unsignedDocument);
        var key = (AsymmetricAlgorithm?)signer.GetRSAPrivateKey() ?? signer.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("The signer certificate has no private key.");

        XmlElement? signedProperties = null;
        DataObject? qualifyingProperties = null;
        if (profile.Xades)
        {
            (qualifyingProperties, signedProperties) = BuildXades(document, profile, profile.XadesCertificate ?? signer);
        }

        var signedXml = new XadesAwareSignedXml(document, signedProperties) { SigningKey = key };
        signedXml.Signature.Id = profile.SignatureId;
        signedXml.SignedInfo!.CanonicalizationMethod = profile.Canonicalization;
        signedXml.SignedInfo.SignatureMethod = profile.SignatureMethod ?? DefaultMethod(key);

        for (var i = 0; i < profile.ReferenceCount; i++)
        {
            var reference = new Reference(profile.ReferenceUri) { DigestMethod = profile.DigestMethod };
            foreach (var transform in profile.Transforms())
            {
                reference.AddTransform(transform);
            }

            signedXml.AddReference(reference);
        }

        if (qualifyingProperties is not null)
        {
            signedXml.AddObject(qualifyingProperties);
            var propertiesReference = new Reference("#" + SignedPropertiesId) { DigestMethod = profile.DigestMethod, Type = SignedPropertiesType };
            propertiesReference.AddTransform(new XmlDsigExcC14NTransform());
            signedXml.AddReference(propertiesReference);
        }

        var keyInfo = new KeyInfo();
        var data = new KeyInfoX509Data();
        foreach (var certificate in profile.KeyInfoCertificates ?? [signer])
        {
            data.AddCertificate(certificate);
        }

        keyInfo.AddClause(data);
        signedXml.KeyInfo = keyInfo;

        signedXml.ComputeSignature();
        document.DocumentElement!.AppendChild(document.ImportNode(signedXml.GetXml(), deep: true));
        key.Dispose();
        return SampleDocuments.Save(document);
    }

    /// <summary>Signs with an HMAC keyed by <paramref name="hmacKey"/>, as an attacker holding only the public certificate could.</summary>
    public static byte[] SignWithHmac(XmlDocument unsignedDocument, byte[] hmacKey, X509Certificate2 certificateForKeyInfo)
    {
        var document = Copy(unsignedDocument);
        var signedXml = new SignedXml(document);
        var reference = new Reference(string.Empty) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signedXml.AddReference(reference);
        signedXml.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(certificateForKeyInfo));
        signedXml.KeyInfo = keyInfo;
        using var hmac = new HMACSHA256(hmacKey);
        signedXml.ComputeSignature(hmac);
        document.DocumentElement!.AppendChild(document.ImportNode(signedXml.GetXml(), deep: true));
        return SampleDocuments.Save(document);
    }

    /// <summary>
    /// Copies the document with whitespace preserved. CloneNode leaves PreserveWhitespace false, and SignedXml then
    /// reparses the document without its whitespace: the digest would not cover what is saved.
    /// </summary>
    private static XmlDocument Copy(XmlDocument document)
    {
        var copy = (XmlDocument)document.CloneNode(deep: true);
        copy.PreserveWhitespace = true;
        return copy;
    }

    private static string DefaultMethod(AsymmetricAlgorithm key) => key switch
    {
        RSA => SignedXml.XmlDsigRSASHA256Url,
        ECDsa { KeySize: 384 } => "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
        _ => "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    };

    private static (DataObject, XmlElement) BuildXades(XmlDocument document, SigningProfile profile, X509Certificate2 named)
    {
        const string ds = SignedXml.XmlDsigNamespaceUrl;
        var qualifying = document.CreateElement("xades", "QualifyingProperties", XadesNamespace);
        qualifying.SetAttribute("Target", "#" + (profile.SignatureId ?? throw new InvalidOperationException("XAdES needs a signature Id.")));
        var signedProperties = Append(qualifying, "xades", "SignedProperties", XadesNamespace);
        signedProperties.SetAttribute("Id", SignedPropertiesId);
        var signatureProperties = Append(signedProperties, "xades", "SignedSignatureProperties", XadesNamespace);
        if (profile.SigningTime is { } signingTime)
        {
            Append(signatureProperties, "xades", "SigningTime", XadesNamespace).InnerText =
                XmlConvert.ToString(signingTime.UtcDateTime, XmlDateTimeSerializationMode.Utc);
        }

        var certDigest = Append(
            Append(Append(signatureProperties, "xades", "SigningCertificateV2", XadesNamespace), "xades", "Cert", XadesNamespace),
            "xades", "CertDigest", XadesNamespace);
        Append(certDigest, "ds", "DigestMethod", ds).SetAttribute("Algorithm", SignedXml.XmlDsigSHA256Url);
        Append(certDigest, "ds", "DigestValue", ds).InnerText = Convert.ToBase64String(SHA256.HashData(named.RawData));

        var holder = document.CreateElement("holder");
        holder.AppendChild(qualifying);
        return (new DataObject { Data = holder.ChildNodes }, signedProperties);
    }

    private static XmlElement Append(XmlElement parent, string prefix, string localName, string namespaceUri) =>
        (XmlElement)parent.AppendChild(parent.OwnerDocument.CreateElement(prefix, localName, namespaceUri))!;

    /// <summary>Lets SignedXml find SignedProperties while it still sits in a DataObject, before the signature exists.</summary>
    private sealed class XadesAwareSignedXml : SignedXml
    {
        private readonly XmlElement? _signedProperties;

        public XadesAwareSignedXml(XmlDocument document, XmlElement? signedProperties)
            : base(document)
        {
            _signedProperties = signedProperties;
        }

        public override XmlElement? GetIdElement(XmlDocument? document, string idValue) =>
            _signedProperties is not null && idValue == SignedPropertiesId ? _signedProperties : base.GetIdElement(document, idValue);
    }
}
