using System.Xml;

namespace Pec.Signing.Receipts;

/// <summary>Loads XML without DTDs or external resolution, keeping whitespace so that signatures keep verifying.</summary>
internal static class SecureXml
{
    public static XmlDocument Load(Stream input)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = false,
            IgnoreProcessingInstructions = false,
            IgnoreWhitespace = false,
        };

        // PreserveWhitespace: the digest covers whitespace nodes, dropping them would break the signature.
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(input, settings);
        document.Load(reader);
        return document;
    }
}
