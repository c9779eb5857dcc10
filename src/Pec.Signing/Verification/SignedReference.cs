using System.Xml;
using Pec.Signing.Verification.Xml;

namespace Pec.Signing.Verification;

/// <summary>One verified reference and the content its digest covers.</summary>
public sealed class SignedReference
{
    internal SignedReference(
        string? referenceId, string uri, string? type, string digestMethod, bool isWholeDocument, XmlElement? element, byte[] digestedBytes)
    {
        ReferenceId = referenceId;
        Uri = uri;
        Type = type;
        DigestMethod = digestMethod;
        IsWholeDocument = isWholeDocument;
        Element = element;
        DigestedBytes = digestedBytes;
    }

    /// <summary>The <c>Id</c> attribute of the <c>ds:Reference</c>, if any.</summary>
    public string? ReferenceId { get; }

    /// <summary>The reference URI: <c>""</c> or <c>#id</c>.</summary>
    public string Uri { get; }

    /// <summary>The <c>Type</c> attribute, for example <c>http://uri.etsi.org/01903#SignedProperties</c>.</summary>
    public string? Type { get; }

    /// <summary>True for the XAdES SignedProperties reference.</summary>
    public bool IsSignedProperties => string.Equals(Type, XmlNamespaces.XadesSignedPropertiesType, StringComparison.Ordinal);

    /// <summary>The DigestMethod Algorithm URI.</summary>
    public string DigestMethod { get; }

    /// <summary>True for <c>URI=""</c> with the enveloped-signature transform.</summary>
    public bool IsWholeDocument { get; }

    /// <summary>
    /// A detached copy of the signed element after the transforms that work on XML: enveloped signature and comments
    /// removed. Null when the reference digests bytes (base64 transform).
    /// </summary>
    public XmlElement? Element { get; }

    /// <summary>The exact octets that were digested: canonical XML, or the decoded bytes of a base64 transform.</summary>
    public ReadOnlyMemory<byte> DigestedBytes { get; }
}
