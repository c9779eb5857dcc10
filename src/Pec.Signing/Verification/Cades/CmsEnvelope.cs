using System.Formats.Asn1;

namespace Pec.Signing.Verification.Cades;

/// <summary>Reads the outer layers of a CMS ContentInfo, which SignedCms does not expose before trusting them.</summary>
internal static class CmsEnvelope
{
    private const string SignedDataOid = "1.2.840.113549.1.7.2";

    /// <summary>
    /// Reads the SignedData eContentType and whether eContent is present. Decoding with a detached ContentInfo, .NET
    /// SignedCms keeps the caller's content type, and verifies against embedded content instead of the caller's, so
    /// neither can be checked through SignedCms.
    /// </summary>
    /// <exception cref="SignatureRejection"><c>malformed-signature</c> when the blob is not a CMS SignedData.</exception>
    public static (string ContentType, bool HasContent) ReadEncapsulatedContentInfo(byte[] cms)
    {
        try
        {
            // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT SignedData }. BER, because producers
            // may use indefinite lengths.
            var contentInfo = new AsnReader(cms, AsnEncodingRules.BER).ReadSequence();
            if (contentInfo.ReadObjectIdentifier() != SignedDataOid)
            {
                throw new SignatureRejection(SignatureReasons.MalformedSignature, "The CMS ContentInfo is not SignedData.");
            }

            // SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo SEQUENCE { eContentType, eContent [0] OPTIONAL }, ... }
            var signedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
            signedData.ReadInteger();
            signedData.ReadSetOf();
            var encapsulated = signedData.ReadSequence();
            var contentType = encapsulated.ReadObjectIdentifier();
            return (contentType, encapsulated.HasData);
        }
        catch (AsnContentException ex)
        {
            throw new SignatureRejection(SignatureReasons.MalformedSignature, $"The signature is not a CMS SignedData: {ex.Message}");
        }
    }
}
