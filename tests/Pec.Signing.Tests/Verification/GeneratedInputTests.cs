using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Pec.Signing.Tests.Verification.Support;
using Pec.Signing.Verification;

namespace Pec.Signing.Tests.Verification;

/// <summary>
/// Payloads signed with SignedXml, then hand-edited where the case is an attack, each with the verdict the verifier
/// must give. Every accepted payload is also verified by xmlsec1, except RSA-PSS, which xmlsec1 1.2.37 does not know.
/// </summary>
public sealed class GeneratedInputTests
{
    private const string Sha1 = "http://www.w3.org/2000/09/xmldsig#sha1";
    private const string Md5 = "http://www.w3.org/2001/04/xmldsig-more#md5";
    private const string RsaSha1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    private const string DsaSha1 = "http://www.w3.org/2000/09/xmldsig#dsa-sha1";
    private const string RsaPssSha256 = "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1";
    private const string EcdsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
    private const string XPathFilter2 = "http://www.w3.org/2002/06/xmldsig-filter2";
    private const string Xslt = "http://www.w3.org/TR/1999/REC-xslt-19991116";
    private const string C14N11 = "http://www.w3.org/2006/12/xml-c14n11";

    private static readonly Dictionary<string, HostileCase> Cases = new(StringComparer.Ordinal)
    {
        // Accepted signatures.
        ["rsa-3072 enveloped"] = Valid(p => Sign(p.Rsa3072)),
        ["rsa-2048 enveloped"] = Valid(p => Sign(p.Rsa2048)),
        ["rsa-sha512 with sha512 digest"] = Valid(p => Sign(p.Rsa3072, new() { SignatureMethod = SignedXml.XmlDsigRSASHA512Url, DigestMethod = SignedXml.XmlDsigSHA512Url })),
        ["ecdsa P-256"] = Valid(p => Sign(p.EcdsaP256)),
        ["ecdsa P-384 sha384"] = Valid(p => Sign(p.EcdsaP384, new() { SignatureMethod = EcdsaSha384, DigestMethod = SignedXml.XmlDsigSHA384Url })),
        ["rsa-pss sha256"] = new() { Build = p => Sign(p.Rsa3072, new() { SignatureMethod = RsaPssSha256 }), Reason = null },
        ["inclusive c14n"] = Valid(p => Sign(p.Rsa3072, new()
        {
            Canonicalization = SignedXml.XmlDsigC14NTransformUrl,
            Transforms = () => [new XmlDsigEnvelopedSignatureTransform(), new XmlDsigC14NTransform()],
        })),
        ["xades with signing time"] = Valid(p => Sign(p.EcdsaP256, new() { Xades = true, SigningTime = VerificationPki.Now.AddMinutes(-1) })),
        ["keyinfo lists the ca before the signer"] = Valid(p => Sign(p.Rsa3072, new() { KeyInfoCertificates = [p.RgsOneStarCa, p.Rsa3072] })),
        // Canonicalization drops it, so the signature does not cover it, but a recipient still receives it.
        ["comment before the document element"] = Rejected(p => XmlEdits.Edit(Sign(p.Rsa3072), d => d.InsertBefore(d.CreateComment(" hors contenu signé "), d.DocumentElement)), SignatureReasons.Wrapping),
        ["object with unsigned content inside the signature"] = Rejected(
            p => XmlEdits.Edit(Sign(p.Rsa3072), d =>
            {
                var dsObject = d.CreateElement("ds", "Object", "http://www.w3.org/2000/09/xmldsig#");
                dsObject.AppendChild(d.CreateElement("evil"))!.InnerText = "contenu non signé";
                XmlEdits.Dsig(d, "Signature").AppendChild(dsObject);
            }),
            SignatureReasons.Wrapping),
        ["rgs** signer at RGS**"] = Valid(p => Sign(p.RgsTwoStarsSigner), SignatureLevels.RgsTwoStars, p => p.RgsTwoStarsCa),
        ["rgs** signer at RGS*"] = Valid(p => Sign(p.RgsTwoStarsSigner), SignatureLevels.RgsOneStar, p => p.RgsTwoStarsCa),
        ["seal without nonRepudiation where the level allows it"] = Valid(p => Sign(p.DigitalSignatureOnly)) with
        {
            Configure = (_, o) => o.Levels[SignatureLevels.RgsOneStar].RequireNonRepudiation = false,
        },
        ["signer with the policy the anchor requires"] = Valid(p => Sign(p.WithPolicy)) with
        {
            Configure = (p, o) => o.Levels[SignatureLevels.RgsOneStar] = TestPolicy.Level(p.RgsOneStarCaPath, TestPolicy.PolicyOid),
        },

        // Algorithms and keys.
        ["sha-1 digest"] = Rejected(p => Sign(p.Rsa3072, new() { DigestMethod = Sha1 }), SignatureReasons.WeakAlgorithm),
        ["md5 digest"] = Rejected(p => XmlEdits.Edit(Sign(p.Rsa3072), d => XmlEdits.Dsig(d, "DigestMethod").SetAttribute("Algorithm", Md5)), SignatureReasons.WeakAlgorithm),
        ["rsa-sha1 signature method"] = Rejected(p => Sign(p.Rsa3072, new() { SignatureMethod = RsaSha1 }), SignatureReasons.WeakAlgorithm),
        ["dsa-sha1 signature method"] = Rejected(p => SetSignatureMethod(Sign(p.Rsa3072), DsaSha1), SignatureReasons.WeakAlgorithm),
        ["rsa-1024 key"] = Rejected(p => Sign(p.Rsa1024), SignatureReasons.WeakKey),
        ["rsa-2048 key signing in 2031"] = Rejected(p => Sign(p.Rsa2048), SignatureReasons.WeakKey) with { At = new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero) },
        ["brainpool key"] = Rejected(p => Sign(p.Brainpool), SignatureReasons.WeakKey),
        ["hmac keyed with the certificate"] = Rejected(p => DocumentSigner.SignWithHmac(SampleDocuments.Request(), p.Rsa3072.RawData, p.Rsa3072), SignatureReasons.WeakAlgorithm),
        ["hmac output length 0"] = Rejected(p => WithHmacOutputLength(p, "0"), SignatureReasons.WeakAlgorithm),
        ["hmac output length 40"] = Rejected(p => WithHmacOutputLength(p, "40"), SignatureReasons.WeakAlgorithm),
        ["unknown signature method only"] = Rejected(p => SetSignatureMethod(Sign(p.Rsa3072), "urn:example:signature:unknown"), SignatureReasons.UnsupportedSignature),
        ["ecdsa value in DER"] = Rejected(
            p => XmlEdits.Edit(Sign(p.EcdsaP256), d => XmlEdits.Dsig(d, "SignatureValue").InnerText = XmlEdits.ToDer(XmlEdits.Dsig(d, "SignatureValue").InnerText)),
            SignatureReasons.SignatureMismatch),

        // Identifiers, references and transforms.
        ["second element with the signed id spelled ID"] = Rejected(p => AppendElement(SignActe(p), "Acte", "ID", "acte-1"), SignatureReasons.DuplicateId),
        ["second element with the signed id as wsu:Id"] = Rejected(
            p => XmlEdits.Edit(SignActe(p), d =>
            {
                var copy = d.CreateElement("Acte", SampleDocuments.Namespace);
                copy.SetAttribute("Id", "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd", "acte-1");
                d.DocumentElement!.AppendChild(copy);
            }),
            SignatureReasons.DuplicateId),
        ["comment inside signed text"] = Rejected(p => InsertIntoText(Sign(p.Rsa3072), d => d.CreateComment(" ")), SignatureReasons.Wrapping),
        ["processing instruction inside signed text"] = Rejected(p => InsertIntoText(Sign(p.Rsa3072), d => d.CreateProcessingInstruction("pec", "x")), SignatureReasons.DigestMismatch),
        ["text changed after signing"] = Rejected(
            p => XmlEdits.Edit(Sign(p.Rsa3072), d => SampleDocuments.Element(d, "Commune").InnerText = "Marseille"), SignatureReasons.DigestMismatch),
        ["signedinfo changed after signing"] = Rejected(
            p => XmlEdits.Edit(Sign(p.Rsa3072), d => XmlEdits.Dsig(d, "Reference").SetAttribute("Id", "ajout")), SignatureReasons.SignatureMismatch),
        ["signaturevalue not base64"] = Rejected(
            p => XmlEdits.Edit(Sign(p.Rsa3072), d => XmlEdits.Dsig(d, "SignatureValue").InnerText = "pas du base64!"), SignatureReasons.SignatureMismatch),
        ["whole-document reference without enveloped transform"] = Rejected(
            p => Sign(p.Rsa3072, new() { Transforms = () => [new XmlDsigExcC14NTransform()] }), SignatureReasons.DigestMismatch),
        ["reference to file:///etc/passwd"] = Rejected(p => SetReferenceUri(Sign(p.Rsa3072), "file:///etc/passwd"), SignatureReasons.ExternalReference),
        ["reference to http://127.0.0.1:9/x"] = Rejected(p => SetReferenceUri(Sign(p.Rsa3072), "http://127.0.0.1:9/x"), SignatureReasons.ExternalReference),
        ["xpointer reference"] = Rejected(p => SetReferenceUri(SignActe(p), "#xpointer(id('acte-1'))"), SignatureReasons.ExternalReference),
        ["reference without uri"] = Rejected(p => XmlEdits.Edit(Sign(p.Rsa3072), d => XmlEdits.Dsig(d, "Reference").RemoveAttribute("URI")), SignatureReasons.ExternalReference),
        ["xpath transform"] = Rejected(p => Sign(p.Rsa3072, new() { Transforms = () => [XPathTransform(), new XmlDsigExcC14NTransform()] }), SignatureReasons.ForbiddenTransform),
        ["xpath filter 2 transform"] = Rejected(
            p => XmlEdits.Edit(Sign(p.Rsa3072), d => XmlEdits.AddTransform(d, XPathFilter2, "<XPath xmlns=\"http://www.w3.org/2002/06/xmldsig-filter2\" Filter=\"subtract\">//Motif</XPath>")),
            SignatureReasons.ForbiddenTransform),
        ["xslt transform"] = Rejected(
            p => XmlEdits.Edit(Sign(p.Rsa3072), d => XmlEdits.AddTransform(
                d, Xslt, "<xsl:stylesheet xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\" version=\"1.0\"><xsl:template match=\"/\"/></xsl:stylesheet>")),
            SignatureReasons.ForbiddenTransform),
        ["c14n 1.1 canonicalization method"] = Rejected(
            p => XmlEdits.Edit(Sign(p.Rsa3072), d => XmlEdits.Dsig(d, "CanonicalizationMethod").SetAttribute("Algorithm", C14N11)), SignatureReasons.ForbiddenTransform),
        ["five transforms"] = Rejected(
            p => Sign(p.Rsa3072, new()
            {
                Transforms = () => [new XmlDsigEnvelopedSignatureTransform(), new XmlDsigExcC14NTransform(), new XmlDsigExcC14NTransform(), new XmlDsigExcC14NTransform(), new XmlDsigExcC14NTransform()],
            }),
            SignatureReasons.ForbiddenTransform),
        ["nine references"] = Rejected(p => Sign(p.Rsa3072, new() { ReferenceCount = 9 }), SignatureReasons.TooManyReferences),
        ["enveloped signature as the document element"] = Rejected(
            p => XmlEdits.Edit(Sign(p.Rsa3072), d =>
            {
                // A signature over an empty document, made the root, with forged content in a ds:Object.
                var signature = XmlEdits.Dsig(d, "Signature");
                var content = d.CreateElement("Object", XmlEdits.Ds);
                content.AppendChild(d.DocumentElement!.CloneNode(deep: false));
                signature.AppendChild(content);
                d.ReplaceChild(signature, d.DocumentElement!);
            }),
            SignatureReasons.Wrapping),
        ["signature over one element only"] = Rejected(SignActe, SignatureReasons.Wrapping),
        ["signed element moved out of its enveloped signature"] = Rejected(
            p => XmlEdits.Edit(SignActeEnveloped(p), d =>
            {
                // The signature sat inside <Acte>; the attacker moves it up and puts a forged <Acte> in its place.
                var acte = SampleDocuments.Element(d, "Acte");
                var signature = XmlEdits.Dsig(d, "Signature");
                d.DocumentElement!.AppendChild(signature);
                var signedObject = d.CreateElement("Object", XmlEdits.Ds);
                signature.AppendChild(signedObject);
                var forged = (XmlElement)acte.CloneNode(deep: true);
                forged.RemoveAttribute("Id");
                forged.GetElementsByTagName("Commune", SampleDocuments.Namespace)[0]!.InnerText = "Commune falsifiée";
                d.DocumentElement.ReplaceChild(forged, acte);
                signedObject.AppendChild(acte);
            }),
            SignatureReasons.Wrapping),

        // Certificates and trust.
        ["attacker certificate in keyinfo"] = Rejected(p => Sign(p.Attacker, new() { KeyInfoCertificates = [p.Attacker, p.RgsOneStarCa] }), SignatureReasons.UntrustedChain),
        ["attacker signs with the honest signer listed first"] = Rejected(p => Sign(p.Attacker, new() { KeyInfoCertificates = [p.Rsa3072, p.Attacker] }), SignatureReasons.UntrustedChain),
        ["expired signer"] = Rejected(p => Sign(p.Expired), SignatureReasons.CertificateExpired),
        ["signer not yet valid"] = Rejected(p => Sign(p.NotYetValid), SignatureReasons.CertificateNotYetValid),
        ["revoked signer"] = Rejected(p => Sign(p.Revoked), SignatureReasons.CertificateRevoked),
        ["no crl for the issuer"] = Rejected(p => Sign(p.Rsa3072), SignatureReasons.UntrustedChain) with { Configure = (_, o) => o.CrlPaths.Clear() },
        ["seal without nonRepudiation at the default level"] = Rejected(p => Sign(p.DigitalSignatureOnly), SignatureReasons.KeyUsage),
        ["signer without the policy the anchor requires"] = Rejected(p => Sign(p.EcdsaP256), SignatureReasons.PolicyNotAccepted) with
        {
            Configure = (p, o) => o.Levels[SignatureLevels.RgsOneStar] = TestPolicy.Level(p.RgsOneStarCaPath, TestPolicy.PolicyOid),
        },
        ["xades signing certificate names another certificate"] = Rejected(
            p => Sign(p.Rsa3072, new() { Xades = true, XadesCertificate = p.Rsa2048 }), SignatureReasons.SigningCertificateMismatch),
        ["rgs** signer at RGS***"] = Rejected(p => Sign(p.RgsTwoStarsSigner), SignatureReasons.LevelNotMet) with { Level = SignatureLevels.RgsThreeStars },
        ["keyinfo without certificate"] = Rejected(
            p => XmlEdits.Edit(Sign(p.Rsa3072), d => XmlEdits.Dsig(d, "KeyInfo").RemoveAll()), SignatureReasons.UnsupportedSignature),

        // Documents.
        ["no signature"] = Rejected(_ => Encoding.UTF8.GetBytes(SampleDocuments.RequestXml), SignatureReasons.MissingSignature),
        ["dtd"] = Rejected(
            p => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Sign(p.Rsa3072)).Replace("?>", "?><!DOCTYPE DemandeActe [<!ENTITY x \"y\">]>", StringComparison.Ordinal)),
            SignatureReasons.DtdForbidden),
        ["not well-formed"] = Rejected(p => Sign(p.Rsa3072)[..^20], SignatureReasons.MalformedXml),
        ["elements nested 100000 deep"] = Rejected(
            _ => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000))),
            SignatureReasons.MalformedXml),
        ["elements nested 300 deep"] = Rejected(
            _ => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<a>", 300)) + string.Concat(Enumerable.Repeat("</a>", 300))),
            SignatureReasons.MalformedXml),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Verify_GeneratedInput_GivesExpectedVerdict(string caseName)
    {
        var testCase = Cases[caseName];
        var pki = TestPolicy.Shared;
        var xml = testCase.Build(pki);
        var verifier = new XmlSignatureVerifier(pki.Options(o => testCase.Configure?.Invoke(pki, o)), TimeProvider.System);

        var verdict = verifier.Verify(xml, testCase.Level, testCase.At);

        if (testCase.Reason is not null)
        {
            Assert.False(verdict.IsValid, $"accepted: {verdict}");
            Assert.Equal(testCase.Reason, verdict.Reason);
            return;
        }

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.True(verdict.SignedContent!.CoversWholeDocument);
        if (testCase.XmlSecTrustedCa is { } trustedCa)
        {
            var xmlsec = await XmlSecVerifier.VerifyAsync(trustedCa(pki), xml);
            Assert.True(xmlsec.ExitCode == 0, $"xmlsec1 rejects a payload PEC accepts: {xmlsec}");
        }
    }

    private static HostileCase Valid(Func<TestPolicy, byte[]> build, string level = SignatureLevels.RgsOneStar, Func<TestPolicy, X509Certificate2>? xmlSecCa = null) =>
        new() { Build = build, Reason = null, Level = level, XmlSecTrustedCa = xmlSecCa ?? (p => p.RgsOneStarCa) };

    private static HostileCase Rejected(Func<TestPolicy, byte[]> build, string reason) => new() { Build = build, Reason = reason };

    private static byte[] Sign(X509Certificate2 signer, SigningProfile? profile = null) =>
        DocumentSigner.Sign(SampleDocuments.Request(), signer, profile);

    /// <summary>Signs only the &lt;Acte Id="acte-1"&gt; element, from a signature placed at the end of the document.</summary>
    private static byte[] SignActe(TestPolicy pki) =>
        Sign(pki.Rsa3072, new() { ReferenceUri = "#acte-1", Transforms = () => [new XmlDsigExcC14NTransform()] });

    /// <summary>
    /// Signs &lt;Acte&gt; with a signature enveloped inside it. SignedXml digests &lt;Acte&gt; before the signature
    /// exists, so moving the signature into &lt;Acte&gt; afterwards leaves the enveloped digest intact.
    /// </summary>
    private static byte[] SignActeEnveloped(TestPolicy pki) =>
        XmlEdits.Edit(
            Sign(pki.Rsa3072, new() { ReferenceUri = "#acte-1" }),
            d => SampleDocuments.Element(d, "Acte").AppendChild(XmlEdits.Dsig(d, "Signature")));

    private static byte[] SetSignatureMethod(byte[] signedDocument, string algorithm) =>
        XmlEdits.Edit(signedDocument, d => XmlEdits.Dsig(d, "SignatureMethod").SetAttribute("Algorithm", algorithm));

    private static byte[] SetReferenceUri(byte[] signedDocument, string uri) =>
        XmlEdits.Edit(signedDocument, d => XmlEdits.Dsig(d, "Reference").SetAttribute("URI", uri));

    private static byte[] AppendElement(byte[] signedDocument, string localName, string idAttribute, string id) =>
        XmlEdits.Edit(signedDocument, d =>
        {
            var element = d.CreateElement(localName, SampleDocuments.Namespace);
            element.SetAttribute(idAttribute, id);
            element.InnerText = "contenu falsifié";
            d.DocumentElement!.InsertBefore(element, d.DocumentElement.FirstChild);
        });

    private static byte[] WithHmacOutputLength(TestPolicy pki, string bits) =>
        XmlEdits.Edit(
            DocumentSigner.SignWithHmac(SampleDocuments.Request(), pki.Rsa3072.RawData, pki.Rsa3072),
            d =>
            {
                var method = XmlEdits.Dsig(d, "SignatureMethod");
                var length = d.CreateElement("HMACOutputLength", XmlEdits.Ds);
                length.InnerText = bits;
                method.AppendChild(length);
            });

    /// <summary>Splits the signed text "Lyon" into "Ly" + node + "on", as in the comment truncation attack.</summary>
    private static byte[] InsertIntoText(byte[] signedDocument, Func<XmlDocument, XmlNode> createNode) =>
        XmlEdits.Edit(signedDocument, d =>
        {
            var commune = SampleDocuments.Element(d, "Commune");
            commune.RemoveAll();
            commune.AppendChild(d.CreateTextNode("Ly"));
            commune.AppendChild(createNode(d));
            commune.AppendChild(d.CreateTextNode("on"));
        });

    private static XmlDsigXPathTransform XPathTransform()
    {
        var document = new XmlDocument();
        document.LoadXml("<XPath xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">not(ancestor-or-self::ds:Signature)</XPath>");
        var transform = new XmlDsigXPathTransform();
        transform.LoadInnerXml(document.ChildNodes);
        return transform;
    }
}
