using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace Pec.Signing.Tests.Support;

/// <summary>
/// Re-signs a receipt with SignedXml directly, to produce correctly signed documents that break one rule
/// of the PEC profile at a time (the verifier must refuse them even though the signature value is fine).
/// </summary>
public static class ReceiptForgery
{
    public const string Ds = SignedXml.XmlDsigNamespaceUrl;
    public const string ReceiptNamespace = "urn:pec:receipt:v1";

    public sealed record Profile
    {
        public string Canonicalization { get; init; } = SignedXml.XmlDsigExcC14NTransformUrl;

        public string? SignatureMethod { get; init; }

        public string DigestMethod { get; init; } = SignedXml.XmlDsigSHA256Url;

        public string ReferenceUri { get; init; } = string.Empty;

        public Func<Transform[]> Transforms { get; init; } =
            () => [new XmlDsigEnvelopedSignatureTransform(), new XmlDsigExcC14NTransform()];

        public int ReferenceCount { get; init; } = 1;

        public Func<X509Certificate2, KeyInfo> KeyInfo { get; init; } = certificate =>
        {
            var keyInfo = new KeyInfo();
            keyInfo.AddClause(new KeyInfoX509Data(certificate));
            return keyInfo;
        };

        public bool AddObject { get; init; }
    }

    public static XmlDocument Load(byte[] bytes)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        using var stream = new MemoryStream(bytes);
        document.Load(stream);
        return document;
    }

    public static byte[] Save(XmlDocument document)
    {
        // Entitize keeps a CR in text as &#xD; so that tests can put one there on purpose.
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), NewLineHandling = NewLineHandling.Entitize };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            document.Save(writer);
        }

        return stream.ToArray();
    }

    public static XmlElement Element(XmlDocument document, string localName) =>
        document.GetElementsByTagName(localName, ReceiptNamespace).Cast<XmlElement>().First();

    public static XmlElement SignatureElement(XmlDocument document) =>
        document.GetElementsByTagName("Signature", Ds).Cast<XmlElement>().Single();

    /// <summary>Strips the signature, lets <paramref name="mutate"/> change the content, and signs again.</summary>
    public static byte[] Resign(byte[] signedReceipt, X509Certificate2 signer, Profile? profile = null, Action<XmlDocument>? mutate = null)
    {
        profile ??= new Profile();
        var document = Load(signedReceipt);
        var root = document.DocumentElement!;
        root.RemoveChild(SignatureElement(document));
        mutate?.Invoke(document);

        if (profile.ReferenceUri.StartsWith('#'))
        {
            root.SetAttribute("Id", profile.ReferenceUri[1..]);
        }

        var key = (AsymmetricAlgorithm?)signer.GetRSAPrivateKey() ?? signer.GetECDsaPrivateKey()!;
        var signedXml = new SignedXml(document) { SigningKey = key };
        signedXml.SignedInfo!.CanonicalizationMethod = profile.Canonicalization;
        signedXml.SignedInfo.SignatureMethod = profile.SignatureMethod ?? (key is RSA
            ? SignedXml.XmlDsigRSASHA256Url
            : "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256");
        for (var i = 0; i < profile.ReferenceCount; i++)
        {
            var reference = new Reference(profile.ReferenceUri) { DigestMethod = profile.DigestMethod };
            foreach (var transform in profile.Transforms())
            {
                reference.AddTransform(transform);
            }

            signedXml.AddReference(reference);
        }

        if (profile.AddObject)
        {
            var content = document.CreateElement("Note", ReceiptNamespace);
            content.InnerText = "not covered by the signature";
            signedXml.AddObject(new DataObject { Data = new[] { content }.AsXmlNodeList(), Id = "note" });
        }

        signedXml.KeyInfo = profile.KeyInfo(signer);
        signedXml.ComputeSignature();
        root.AppendChild(document.ImportNode(signedXml.GetXml(), true));
        return Save(document);
    }

    private static XmlNodeList AsXmlNodeList(this XmlElement[] elements)
    {
        var holder = new XmlDocument();
        var container = holder.CreateElement("c");
        foreach (var element in elements)
        {
            container.AppendChild(holder.ImportNode(element, true));
        }

        return container.ChildNodes;
    }
}
