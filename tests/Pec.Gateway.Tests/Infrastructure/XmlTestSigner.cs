using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace Pec.Gateway.Tests.Infrastructure;

/// <summary>Signs an XML document as a sender's agent would: enveloped XML-DSig over the whole document, RSA-SHA256.</summary>
internal static class XmlTestSigner
{
    public static byte[] SignEnveloped(byte[] document, X509Certificate2 signer)
    {
        var xml = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using (var reader = XmlReader.Create(new MemoryStream(document), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }))
        {
            xml.Load(reader);
        }

        var signedXml = new SignedXml(xml) { SigningKey = signer.GetRSAPrivateKey() };
        signedXml.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signedXml.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference(string.Empty) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signedXml.AddReference(reference);
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(signer));
        signedXml.KeyInfo = keyInfo;
        signedXml.ComputeSignature();
        xml.DocumentElement!.AppendChild(xml.ImportNode(signedXml.GetXml(), deep: true));

        // XmlDocument.Save writes in the encoding of the XML declaration, so ISO-8859-1 documents stay ISO-8859-1.
        using var output = new MemoryStream();
        xml.Save(output);
        return output.ToArray();
    }
}
