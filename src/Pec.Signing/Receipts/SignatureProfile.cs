using System.Security.Cryptography.Xml;

namespace Pec.Signing.Receipts;

/// <summary>
/// The only signature shape PEC accepts. SignedXml verifies whatever the document asks for, so anything
/// the profile does not name (other references, XPath or XSLT transforms, SHA-1, objects) is refused first.
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

        if (signedInfo.References.Count != 1 || signedInfo.References[0] is not Reference reference)
        {
            return $"The signature must have exactly one Reference; found {signedInfo.References.Count}.";
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
            var found = string.Join(", ", Enumerable.Range(0, transforms.Count).Select(i => transforms[i].Algorithm));
            return $"The Reference transforms must be exactly enveloped-signature then exclusive C14N; found [{found}].";
        }

        if (reference.DigestMethod != XmlDsigAlgorithms.Sha256)
        {
            return $"The DigestMethod must be {XmlDsigAlgorithms.Sha256}, not {reference.DigestMethod}.";
        }

        // With URI="" the enveloped transform removes the whole Signature, so an Object would not be signed.
        if (signedXml.Signature.ObjectList.Count != 0)
        {
            return "The signature must not carry ds:Object elements.";
        }

        return null;
    }
}
