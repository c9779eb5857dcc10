namespace Pec.Signing.Verification;

/// <summary>What a verified signature covers.</summary>
public sealed class SignedContent
{
    internal SignedContent(bool coversWholeDocument, IReadOnlyList<SignedReference> references)
    {
        CoversWholeDocument = coversWholeDocument;
        References = references;
    }

    /// <summary>
    /// True only when a reference with <c>URI=""</c> and the enveloped-signature transform verified: the digest
    /// then covers the whole document except this signature element. Other references (XAdES SignedProperties,
    /// KeyInfo) do not change this value.
    /// </summary>
    public bool CoversWholeDocument { get; }

    /// <summary>Each reference of SignedInfo with the content its digest covers, in SignedInfo order.</summary>
    public IReadOnlyList<SignedReference> References { get; }

    /// <summary>The document element as signed (without this signature and without comments), when <see cref="CoversWholeDocument"/> is true.</summary>
    public System.Xml.XmlElement? Document =>
        References.FirstOrDefault(reference => reference.IsWholeDocument)?.Element;
}
