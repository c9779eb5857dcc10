using System.Xml;

namespace Pec.Signing.Tests.Verification.Support;

/// <summary>Unsigned payloads shaped like what administrations exchange through PEC.</summary>
public static class SampleDocuments
{
    public const string Namespace = "urn:pec:test:etat-civil";

    public const string RequestXml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
        "<DemandeActe xmlns=\"urn:pec:test:etat-civil\">\n" +
        "  <Demandeur>Jeanne Exemple</Demandeur>\n" +
        "  <Acte Id=\"acte-1\">\n" +
        "    <Nature>naissance</Nature>\n" +
        "    <Commune>Lyon</Commune>\n" +
        "  </Acte>\n" +
        "  <Motif>Obtention d'un passeport</Motif>\n" +
        "</DemandeActe>";

    public static XmlDocument Request() => Parse(RequestXml);

    public static XmlDocument Parse(string xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.LoadXml(xml);
        return document;
    }

    public static XmlDocument Parse(byte[] xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var stream = new MemoryStream(xml);
        document.Load(stream);
        return document;
    }

    /// <summary>Serializes without re-indenting, so that hand edits do not change digested whitespace.</summary>
    public static byte[] Save(XmlDocument document)
    {
        var settings = new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), NewLineHandling = NewLineHandling.None };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            document.Save(writer);
        }

        return stream.ToArray();
    }

    public static XmlElement Element(XmlDocument document, string localName, string namespaceUri = Namespace) =>
        document.GetElementsByTagName(localName, namespaceUri).OfType<XmlElement>().First();

    public static XmlElement DsigElement(XmlDocument document, string localName) =>
        Element(document, localName, System.Security.Cryptography.Xml.SignedXml.XmlDsigNamespaceUrl);
}
