using System.Text;
using System.Xml;
using Pec.Signing.Seal;
using Pec.Signing.Sealing;

namespace Pec.Signing.Receipts;

/// <summary>
/// Builds receipt XML and seals it with an enveloped XAdES baseline B-B signature made with the platform seal
/// (the current seal: <see cref="PlatformSeal.Certificate"/>, named in the signed SealCertificate element).
/// </summary>
public sealed class ReceiptSigner
{
    private static readonly XmlWriterSettings BodySettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        OmitXmlDeclaration = true,
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\n",
        NewLineHandling = NewLineHandling.Entitize,
    };

    private static readonly XmlWriterSettings OutputSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        OmitXmlDeclaration = false,
        // The signed document is written as is: re-indenting would change the digested whitespace.
        Indent = false,
        NewLineHandling = NewLineHandling.Entitize,
    };

    private readonly PlatformSeal _seal;
    private readonly SealCertificateInfo _sealInfo;

    /// <summary>Creates a signer using <paramref name="seal"/>.</summary>
    public ReceiptSigner(PlatformSeal seal)
    {
        ArgumentNullException.ThrowIfNull(seal);
        XmlDsigAlgorithms.EnsureRegistered();
        _seal = seal;
        _sealInfo = SealCertificateInfo.From(seal.Certificate);
    }

    /// <summary>
    /// Returns the signed receipt as UTF-8 bytes, with an XML declaration. Times are written in UTC,
    /// truncated to the millisecond; the payload digests are written in lowercase; line breaks in text
    /// values are written as LF (CRLF and CR become LF, as an XML parser would read them anyway).
    /// </summary>
    /// <exception cref="ArgumentException">A value is missing, malformed, or holds characters XML cannot carry.</exception>
    public byte[] Sign(ReceiptDocument receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ReceiptXmlWriter.Validate(receipt);

        var document = BuildBody(receipt);
        var root = document.DocumentElement!;

        // The signature goes between two whitespace nodes that are already there when signing:
        // the enveloped-signature transform removes the element only, so whitespace added around it
        // afterwards would change the digest.
        if (root.LastChild is XmlWhitespace indentBeforeEndTag)
        {
            root.RemoveChild(indentBeforeEndTag);
        }

        var beforeSignature = root.AppendChild(document.CreateWhitespace("\n  "))!;
        root.AppendChild(document.CreateWhitespace("\n"));
        // SigningTime is IssuedAt: the verifier checks that the two agree.
        var signature = ComputeSignature(document, receipt.IssuedAt);
        root.InsertAfter(document.ImportNode(signature, deep: true), beforeSignature);

        using var output = new MemoryStream();
        using (var writer = XmlWriter.Create(output, OutputSettings))
        {
            writer.WriteStartDocument();
            // Outside the root element, so outside what is signed: only for people opening the file.
            writer.WriteWhitespace("\n");
            root.WriteTo(writer);
            writer.WriteEndDocument();
        }

        return output.ToArray();
    }

    private XmlDocument BuildBody(ReceiptDocument receipt)
    {
        using var body = new MemoryStream();
        using (var writer = XmlWriter.Create(body, BodySettings))
        {
            ReceiptXmlWriter.Write(writer, receipt, _sealInfo);
        }

        // Signing the document exactly as it will be parsed back keeps signer and verifier in agreement.
        body.Position = 0;
        return SecureXml.Load(body);
    }

    private XmlElement ComputeSignature(XmlDocument document, DateTimeOffset signingTime) =>
        XadesEnvelopedSigner.ComputeSignature(document, _seal, signingTime);
}
