using System.Security.Cryptography;
using System.Xml;

namespace Pec.Signing.Verification.Dsig;

/// <summary>A reference whose URI, transforms and digest method passed the rules, with its resolved target.</summary>
internal sealed record ReferencePlan(
    DsigReference Reference,
    XmlNode Target,
    bool Enveloped,
    DsigTransform? Canonicalization,
    bool Base64,
    HashAlgorithmName Hash,
    DetachedPayload? Payload = null)
{
    /// <summary>
    /// True for <c>URI=""</c> with the enveloped-signature transform (the whole document but the signature), and for
    /// the payload reference of a detached signature (the whole payload).
    /// </summary>
    public bool IsWholeDocument => (Target is XmlDocument && Enveloped) || Payload is not null;
}
