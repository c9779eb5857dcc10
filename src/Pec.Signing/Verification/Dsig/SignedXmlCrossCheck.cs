using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using Pec.Signing.Verification.Algorithms;
using Pec.Signing.Verification.Xml;

namespace Pec.Signing.Verification.Dsig;

/// <summary>
/// Second opinion from .NET's <see cref="SignedXml"/> on a signature the verifier's own checks accepted. Both
/// implementations must agree before a signature counts as valid, so a canonicalization or dereferencing bug in either
/// one rejects a document instead of accepting it.
/// </summary>
internal static class SignedXmlCrossCheck
{
    /// <exception cref="SignatureRejection"><c>signature-mismatch</c> when SignedXml does not confirm.</exception>
    public static void Confirm(DsigSignature signature, IdIndex ids, X509Certificate2 signer)
    {
        VerificationAlgorithms.EnsureRegistered();
        var signedXml = new IndexedSignedXml(signature.Element.OwnerDocument, ids);
        bool verified;
        try
        {
            signedXml.LoadXml(signature.Element);
            using var key = (AsymmetricAlgorithm?)signer.GetRSAPublicKey() ?? signer.GetECDsaPublicKey()
                ?? throw new CryptographicException("The signer certificate has neither an RSA nor an ECDSA key.");
            verified = signedXml.CheckSignature(key);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or XmlException)
        {
            throw new SignatureRejection(
                SignatureReasons.SignatureMismatch, $"The signature passed PEC's checks but .NET SignedXml cannot verify it: {ex.Message}");
        }

        if (!verified)
        {
            throw new SignatureRejection(
                SignatureReasons.SignatureMismatch, "The signature passed PEC's checks but .NET SignedXml does not confirm it.");
        }
    }

    /// <summary>Resolves <c>#id</c> with the verifier's own index, so that both implementations digest the same element.</summary>
    private sealed class IndexedSignedXml : SignedXml
    {
        private readonly XmlDocument _document;
        private readonly IdIndex _ids;

        public IndexedSignedXml(XmlDocument document, IdIndex ids)
            : base(document)
        {
            _document = document;
            _ids = ids;
        }

        public override XmlElement? GetIdElement(XmlDocument? document, string idValue) =>
            ReferenceEquals(document, _document) ? _ids.Find(idValue) : null;
    }
}
