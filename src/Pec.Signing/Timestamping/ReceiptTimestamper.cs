using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Pec.Signing.Receipts;
using Pec.Signing.Sealing;

namespace Pec.Signing.Timestamping;

/// <summary>
/// Turns a XAdES B-B receipt into B-T by adding xades:UnsignedProperties/UnsignedSignatureProperties/SignatureTimeStamp
/// over the exclusive C14N of ds:SignatureValue. Unsigned properties are outside SignedInfo, so the seal signature
/// still verifies afterwards.
/// </summary>
public sealed class ReceiptTimestamper
{
    private static readonly XmlWriterSettings OutputSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = false,
        NewLineHandling = NewLineHandling.Entitize,
    };

    private readonly TimestampClient? _client;

    /// <summary>Creates a timestamper; without <paramref name="client"/> only <see cref="AddSignatureTimestamp"/> is usable.</summary>
    public ReceiptTimestamper(TimestampClient? client)
    {
        _client = client;
    }

    /// <summary>Whether a TSA is configured, so that <see cref="AddSignatureTimestampAsync"/> can be called.</summary>
    public bool IsEnabled => _client is not null;

    /// <summary>Returns the bytes a SignatureTimeStamp of <paramref name="receiptXml"/> must cover: exc-c14n of ds:SignatureValue.</summary>
    /// <exception cref="ArgumentException">The receipt is not a XAdES B-B receipt.</exception>
    public static byte[] GetTimestampedData(byte[] receiptXml)
    {
        var (_, signatureValue, _) = Load(receiptXml);
        return SignatureTimestamp.Canonicalize(signatureValue);
    }

    /// <summary>Requests a time-stamp from the configured TSA and returns the B-T receipt.</summary>
    /// <exception cref="InvalidOperationException">No TSA is configured.</exception>
    /// <exception cref="ArgumentException">The receipt is not a XAdES B-B receipt, or already carries a time-stamp.</exception>
    /// <exception cref="TimestampUnavailableException">The TSA cannot be reached, timed out or returned an HTTP error.</exception>
    /// <exception cref="InvalidTimestampException">The TSA reply is not a valid, trusted time-stamp.</exception>
    public async Task<byte[]> AddSignatureTimestampAsync(byte[] receiptXml, CancellationToken cancellationToken = default)
    {
        if (_client is null)
        {
            throw new InvalidOperationException($"No TSA is configured ({TimestampingOptions.SectionName}:Url).");
        }

        var token = await _client.RequestAsync(GetTimestampedData(receiptXml), cancellationToken).ConfigureAwait(false);
        return AddSignatureTimestamp(receiptXml, token);
    }

    /// <summary>Adds <paramref name="token"/> as the SignatureTimeStamp of <paramref name="receiptXml"/> and returns the B-T receipt.</summary>
    /// <exception cref="ArgumentException">
    /// The receipt is not a XAdES B-B receipt, already carries a time-stamp, or the token does not cover its SignatureValue.
    /// </exception>
    public static byte[] AddSignatureTimestamp(byte[] receiptXml, Rfc3161TimestampToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var (document, signatureValue, qualifyingProperties) = Load(receiptXml);

        // Only the imprint and the token signature: whether the TSA is trusted is the verifier's decision.
        if (!token.VerifySignatureForData(SignatureTimestamp.Canonicalize(signatureValue), out _))
        {
            throw new ArgumentException("The time-stamp token does not cover this receipt's ds:SignatureValue.", nameof(token));
        }

        var xadesPrefix = qualifyingProperties.Prefix;
        var unsignedProperties = document.CreateElement(xadesPrefix, XadesNames.UnsignedProperties, XadesNames.Namespace);
        var signatureProperties = document.CreateElement(xadesPrefix, XadesNames.UnsignedSignatureProperties, XadesNames.Namespace);
        var timestamp = document.CreateElement(xadesPrefix, XadesNames.SignatureTimeStamp, XadesNames.Namespace);
        var canonicalization = document.CreateElement(XadesNames.DsPrefix, XadesNames.CanonicalizationMethod, SignedXml.XmlDsigNamespaceUrl);
        canonicalization.SetAttribute(XadesNames.Algorithm, XmlDsigAlgorithms.ExclusiveC14N);
        var encapsulated = document.CreateElement(xadesPrefix, XadesNames.EncapsulatedTimeStamp, XadesNames.Namespace);
        encapsulated.InnerText = Convert.ToBase64String(token.AsSignedCms().Encode());

        timestamp.AppendChild(canonicalization);
        timestamp.AppendChild(encapsulated);
        signatureProperties.AppendChild(timestamp);
        unsignedProperties.AppendChild(signatureProperties);
        qualifyingProperties.AppendChild(unsignedProperties);

        using var output = new MemoryStream();
        using (var writer = XmlWriter.Create(output, OutputSettings))
        {
            document.Save(writer);
        }

        return output.ToArray();
    }

    private static (XmlDocument Document, XmlElement SignatureValue, XmlElement QualifyingProperties) Load(byte[] receiptXml)
    {
        ArgumentNullException.ThrowIfNull(receiptXml);
        XmlDocument document;
        try
        {
            using var input = new MemoryStream(receiptXml, writable: false);
            document = SecureXml.Load(input);
        }
        catch (XmlException ex)
        {
            throw new ArgumentException($"The receipt is not well-formed XML: {ex.Message}", nameof(receiptXml), ex);
        }

        var signatures = document.GetElementsByTagName(XadesNames.SignatureElement, SignedXml.XmlDsigNamespaceUrl).OfType<XmlElement>().ToList();
        if (signatures.Count != 1 || signatures[0].ParentNode != document.DocumentElement)
        {
            throw new ArgumentException("The receipt must contain exactly one ds:Signature, child of the root element.", nameof(receiptXml));
        }

        var signature = signatures[0];
        var signatureValue = ChildElements(signature, XadesNames.SignatureValue, SignedXml.XmlDsigNamespaceUrl).SingleOrDefault();
        var qualifyingProperties = ChildElements(signature, XadesNames.Object, SignedXml.XmlDsigNamespaceUrl)
            .SelectMany(o => ChildElements(o, XadesNames.QualifyingProperties, XadesNames.Namespace))
            .ToList();
        if (signatureValue is null || qualifyingProperties.Count != 1)
        {
            throw new ArgumentException("The receipt signature is not a XAdES signature (no single QualifyingProperties).", nameof(receiptXml));
        }

        if (ChildElements(qualifyingProperties[0], XadesNames.UnsignedProperties, XadesNames.Namespace).Any())
        {
            throw new ArgumentException("The receipt already carries unsigned properties (a time-stamp).", nameof(receiptXml));
        }

        return (document, signatureValue, qualifyingProperties[0]);
    }

    private static IEnumerable<XmlElement> ChildElements(XmlElement parent, string localName, string namespaceUri) =>
        parent.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == localName && e.NamespaceURI == namespaceUri);
}
