using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Pec.Signing.Receipts;
using Pec.Signing.Seal;

namespace Pec.Signing.Sealing;

/// <summary>
/// Seals payloads that senders deposit unsigned, for flow types that ask PEC to: XML payloads get an enveloped
/// XAdES B-B signature over the whole document, anything else a detached CAdES signature. Both use the current seal.
/// </summary>
public sealed class PayloadSealer
{
    private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    private readonly PlatformSeal _seal;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a sealer signing with <paramref name="seal"/> at <paramref name="timeProvider"/>'s current time.</summary>
    public PayloadSealer(PlatformSeal seal, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(seal);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _seal = seal;
        _timeProvider = timeProvider;
    }

    /// <summary>True for application/xml, text/xml and any +xml media type (parameters such as charset are ignored).</summary>
    public static bool IsXmlMediaType(string? mediaType)
    {
        var essence = mediaType?.Split(';', 2)[0].Trim();
        return essence is not null
            && (essence.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
                || essence.Equals("text/xml", StringComparison.OrdinalIgnoreCase)
                || essence.EndsWith("+xml", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Seals <paramref name="payload"/> as XML when <paramref name="mediaType"/> is an XML type, as CAdES otherwise.</summary>
    /// <exception cref="ArgumentException">An XML payload cannot be sealed (see <see cref="SealXml"/>).</exception>
    public SealedPayload Seal(byte[] payload, string? mediaType) =>
        IsXmlMediaType(mediaType)
            ? new SealedPayload(PayloadSealFormat.XadesEnveloped, SealXml(payload))
            : new SealedPayload(PayloadSealFormat.CadesDetached, SealCades(payload));

    /// <summary>
    /// Returns <paramref name="xml"/> with an enveloped XAdES B-B signature as the last child of its root element.
    /// The document keeps its declared encoding, its byte order mark, its XML declaration and its line breaks
    /// (CRLF when the input uses CRLF); a parser reads exactly the original content plus the signature.
    /// Other bytes may change where XML allows several spellings (attribute quotes, character references).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The payload is not well-formed XML, has a DTD, already carries a ds:Signature, declares an encoding .NET
    /// cannot write, or holds a carriage return in a text value (see the note in the method).
    /// </exception>
    public byte[] SealXml(byte[] xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var document = LoadPayload(xml);
        var root = document.DocumentElement
            ?? throw new ArgumentException("The XML payload has no root element.", nameof(xml));

        if (document.GetElementsByTagName(XadesNames.SignatureElement, SignedXml.XmlDsigNamespaceUrl).Count != 0)
        {
            throw new ArgumentException("The XML payload already carries a ds:Signature; PEC seals unsigned payloads only.", nameof(xml));
        }

        // NOTE: SignedXml digests a CR in a text value as LF (it re-parses its own serialization), while xmlsec1 and
        // other verifiers digest it as CR, so such a document would get a seal that only .NET accepts. A CR can only
        // come from a character reference (&#xD;): parsers turn raw CRLF into LF.
        if (root.SelectNodes("//text()")!.OfType<XmlNode>().Any(n => n.Value?.Contains('\r', StringComparison.Ordinal) == true))
        {
            throw new ArgumentException("The XML payload contains a carriage return character reference (&#xD;) in a text value, which .NET and xmlsec1 digest differently; remove it before sealing.", nameof(xml));
        }

        var declaration = document.FirstChild as XmlDeclaration;
        var encoding = ResolveEncoding(declaration, xml);
        var settings = CreateWriterSettings(encoding, xml);
        var signature = XadesEnvelopedSigner.ComputeSignature(document, _seal, _timeProvider.GetUtcNow());
        root.AppendChild(document.ImportNode(signature, deep: true));

        using var output = new MemoryStream();
        // The byte order mark and the declaration are written as they were: XmlWriter would rewrite the declared
        // encoding name in its own spelling (iso-8859-1 for ISO-8859-1).
        output.Write(encoding.GetPreamble());
        if (declaration is not null)
        {
            output.Write(encoding.GetBytes(declaration.OuterXml));
        }

        using (var writer = XmlWriter.Create(output, settings))
        {
            foreach (XmlNode node in document.ChildNodes)
            {
                if (node is not XmlDeclaration)
                {
                    node.WriteTo(writer);
                }
            }
        }

        return output.ToArray();
    }

    /// <summary>
    /// Returns a detached CAdES signature of <paramref name="payload"/>, DER-encoded CMS SignedData: SHA-256,
    /// signing-time and signing-certificate-v2 signed attributes, the seal certificate included.
    /// </summary>
    public byte[] SealCades(byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var cms = new SignedCms(new ContentInfo(payload), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, _seal.Certificate, _seal.SigningKey)
        {
            DigestAlgorithm = new Oid(Sha256Oid),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.SignedAttributes.Add(new Pkcs9SigningTime(_timeProvider.GetUtcNow().UtcDateTime));
        signer.SignedAttributes.Add(new AsnEncodedData(
            new Oid(EssCertificateId.SigningCertificateV2Oid),
            EssCertificateId.EncodeSigningCertificateV2(_seal.Certificate)));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    private static XmlDocument LoadPayload(byte[] xml)
    {
        try
        {
            using var input = new MemoryStream(xml, writable: false);
            return SecureXml.Load(input);
        }
        catch (XmlException ex)
        {
            throw new ArgumentException($"The payload is not well-formed XML, or contains a DTD: {ex.Message}", nameof(xml), ex);
        }
    }

    private static XmlWriterSettings CreateWriterSettings(Encoding encoding, byte[] original)
    {
        var usesCrLf = original.AsSpan().IndexOf("\r\n"u8) >= 0;
        return new XmlWriterSettings
        {
            // Without a preamble: the caller has written it already.
            Encoding = encoding is UTF8Encoding ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) : encoding,
            OmitXmlDeclaration = true,
            ConformanceLevel = ConformanceLevel.Fragment,
            Indent = false,
            // Raw CRLF is read back as LF, so writing CRLF again keeps the original bytes without changing the signed content.
            NewLineHandling = usesCrLf ? NewLineHandling.Replace : NewLineHandling.Entitize,
            NewLineChars = usesCrLf ? "\r\n" : "\n",
        };
    }

    private static Encoding ResolveEncoding(XmlDeclaration? declaration, byte[] original)
    {
        var hasUtf8Bom = original.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
        var name = declaration?.Encoding;
        if (string.IsNullOrEmpty(name) || name.Equals("UTF-8", StringComparison.OrdinalIgnoreCase))
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: hasUtf8Bom);
        }

        // NOTE: UTF-16 and other encodings with a byte order mark are written with the preamble .NET gives them.
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The XML payload declares the encoding '{name}', which PEC cannot write back.", nameof(declaration), ex);
        }
    }
}
