using System.Formats.Asn1;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace Pec.Signing.Tests.Verification.Support;

/// <summary>Hand edits applied to signed documents, as an attacker would make them after signing.</summary>
public static class XmlEdits
{
    public const string Ds = SignedXml.XmlDsigNamespaceUrl;

    /// <summary>Parses <paramref name="signedDocument"/>, applies <paramref name="edit"/> and serializes the result unchanged otherwise.</summary>
    public static byte[] Edit(byte[] signedDocument, Action<XmlDocument> edit)
    {
        var document = SampleDocuments.Parse(signedDocument);
        edit(document);
        return SampleDocuments.Save(document);
    }

    public static XmlElement Dsig(XmlDocument document, string localName, int index = 0) =>
        document.GetElementsByTagName(localName, Ds).OfType<XmlElement>().ElementAt(index);

    public static XmlElement AddTransform(XmlDocument document, string algorithm, string? innerXml = null)
    {
        var transforms = Dsig(document, "Transforms");
        var transform = document.CreateElement("Transform", Ds);
        transform.SetAttribute("Algorithm", algorithm);
        if (innerXml is not null)
        {
            transform.InnerXml = innerXml;
        }

        transforms.InsertBefore(transform, transforms.FirstChild);
        return transform;
    }

    /// <summary>Rewrites an r‖s ECDSA value as the DER SEQUENCE { r INTEGER, s INTEGER } some libraries emit.</summary>
    public static string ToDer(string p1363Base64)
    {
        var value = Convert.FromBase64String(p1363Base64);
        var half = value.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(value.AsSpan(0, half));
            writer.WriteIntegerUnsigned(value.AsSpan(half));
        }

        return Convert.ToBase64String(writer.Encode());
    }
}
