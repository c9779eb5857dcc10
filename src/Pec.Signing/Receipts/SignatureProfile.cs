using System.Security.Cryptography.Xml;
using Pec.Signing.Sealing;

namespace Pec.Signing.Receipts;

/// <summary>
/// The only signature shapes PEC accepts: the XAdES B-B receipt (Reference URI="" then a Reference to
/// xades:SignedProperties) and the plain XML-DSig receipt issued before XAdES (one Reference, no ds:Object).
/// SignedXml verifies whatever the document asks for, so anything the profile does not name (other references,
/// XPath or XSLT transforms, SHA-1, other objects) is refused first. <see cref="XadesProperties"/> checks the
/// content of the ds:Object.
/// </summary>
internal static class SignatureProfile
{
    /// <summary>Returns why the signature is outside the profile, or null when it fits.</summary>
    public static string? FindViolation(SignedXml signedXml)
    {
        var signedInfo = signedXml.SignedInfo!;
        if (signedInfo.CanonicalizationMethod != XmlDsigAlgorithms.ExclusiveC14N)
        {
            return $"The CanonicalizationMethod must be {XmlDsigAlgorithms.ExclusiveC14N}, not {signedInfo.CanonicalizationMethod}.";
        }

        if (signedInfo.SignatureMethod is not (XmlDsigAlgorithms.RsaSha256 or XmlDsigAlgorithms.EcdsaSha256))
        {
            return $"The SignatureMethod must be {XmlDsigAlgorithms.RsaSha256} or {XmlDsigAlgorithms.EcdsaSha256}, not {signedInfo.SignatureMethod}.";
        }

        var references = signedInfo.References;
        if (references.Count is not (1 or 2))
        {
            return $"The signature must have exactly one Reference (XML-DSig) or two (XAdES B-B); found {references.Count}.";
        }

        if (references[0] is not Reference reference)
        {
            return "The first Reference cannot be read.";
        }

        if (reference.Uri != string.Empty)
        {
            return $"The Reference URI must be \"\" (the whole receipt), not \"{reference.Uri}\".";
        }

        var transforms = reference.TransformChain;
        if (transforms.Count != 2
            || transforms[0].Algorithm != XmlDsigAlgorithms.EnvelopedSignature
            || transforms[1].Algorithm != XmlDsigAlgorithms.ExclusiveC14N)
        {
            return $"The Reference transforms must be exactly enveloped-signature then exclusive C14N; found [{ListTransforms(transforms)}].";
        }

        if (reference.DigestMethod != XmlDsigAlgorithms.Sha256)
        {
            return $"The DigestMethod must be {XmlDsigAlgorithms.Sha256}, not {reference.DigestMethod}.";
        }

        if (references.Count == 1)
        {
            // With URI="" the enveloped transform removes the whole Signature, so an Object would not be signed.
            return signedXml.Signature.ObjectList.Count != 0
                ? "The signature must not carry ds:Object elements unless it is a XAdES signature (a second Reference to xades:SignedProperties)."
                : null;
        }

        return FindSignedPropertiesViolation(signedXml, references[1] as Reference);
    }

    /// <summary>The second Reference of a XAdES B-B receipt: a same-document reference to xades:SignedProperties.</summary>
    private static string? FindSignedPropertiesViolation(SignedXml signedXml, Reference? reference)
    {
        if (reference is null)
        {
            return "The second Reference cannot be read.";
        }

        if (reference.Type != XadesNames.SignedPropertiesType)
        {
            return $"The second Reference must have Type=\"{XadesNames.SignedPropertiesType}\", not \"{reference.Type}\".";
        }

        if (reference.Uri is not { Length: > 1 } uri || uri[0] != '#' || uri.Contains('(', StringComparison.Ordinal))
        {
            return $"The second Reference URI must be \"#\" followed by the SignedProperties Id, not \"{reference.Uri}\".";
        }

        var transforms = reference.TransformChain;
        if (transforms.Count != 1 || transforms[0].Algorithm != XmlDsigAlgorithms.ExclusiveC14N)
        {
            return $"The SignedProperties Reference transforms must be exactly exclusive C14N; found [{ListTransforms(transforms)}].";
        }

        if (reference.DigestMethod != XmlDsigAlgorithms.Sha256)
        {
            return $"The SignedProperties DigestMethod must be {XmlDsigAlgorithms.Sha256}, not {reference.DigestMethod}.";
        }

        if (string.IsNullOrEmpty(signedXml.Signature.Id))
        {
            return "A XAdES signature must carry an Id, which QualifyingProperties/@Target points to.";
        }

        if (signedXml.Signature.ObjectList.Count != 1)
        {
            return $"A XAdES signature must carry exactly one ds:Object (the QualifyingProperties); found {signedXml.Signature.ObjectList.Count}.";
        }

        return null;
    }

    private static string ListTransforms(TransformChain transforms) =>
        string.Join(", ", Enumerable.Range(0, transforms.Count).Select(i => transforms[i].Algorithm));
}
