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
    public static void Confirm(DsigSignature signature, IdIndex ids, X509Certificate2 signer, DetachedPayload? payload = null)
    {
        VerificationAlgorithms.EnsureRegistered();
        var signedXml = new IndexedSignedXml(signature.Element.OwnerDocument, ids)
        {
            // SignedXml would hand any DTD or external entity of a transform input to this resolver; none may be fetched.
            Resolver = new RejectingResolver(),
        };
        bool verified;
        try
        {
            signedXml.LoadXml(signature.Element);
            if (payload is not null)
            {
                BindPayload(signedXml, payload);
            }

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

    /// <summary>
    /// Replaces the payload reference by one whose target is the payload bytes in memory. SignedXml dereferences an
    /// external URI itself, outside any resolver, so the loaded reference must never be digested. The replacement
    /// reads the same ds:Reference element, and the SignedInfo signature is still checked over the element as received.
    /// </summary>
    private static void BindPayload(SignedXml signedXml, DetachedPayload payload)
    {
        var references = signedXml.SignedInfo!.References;
        var loaded = references.Cast<Reference>().ToList();
        references.Clear();
        foreach (var reference in loaded)
        {
            if (ReferenceRules.IsPayloadFileName(reference.Uri))
            {
                var inMemory = new Reference(new MemoryStream(payload.Bytes, writable: false));
                inMemory.LoadXml(reference.GetXml());
                signedXml.SignedInfo.AddReference(inMemory);
            }
            else
            {
                signedXml.SignedInfo.AddReference(reference);
            }
        }
    }

    /// <summary>A resolver that resolves nothing, so that no transform input can reach a file or the network.</summary>
    private sealed class RejectingResolver : XmlResolver
    {
        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn) =>
            throw new XmlException($"The resource '{absoluteUri}' is not resolved: signature verification fetches nothing.");
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
