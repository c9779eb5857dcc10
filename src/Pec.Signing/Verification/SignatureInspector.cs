using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Pec.Signing.Verification.Dsig;
using Pec.Signing.Verification.Trust;
using Pec.Signing.Verification.Xades;
using Pec.Signing.Verification.Xml;

namespace Pec.Signing.Verification;

/// <summary>
/// Runs every check on one <c>ds:Signature</c>, cheapest and most structural first: shape and algorithms, reference
/// rules and targets, digests, SignatureValue, SignedXml confirmation, XAdES binding, key strength, coverage, trust.
/// The first failed check gives the report its reason.
/// </summary>
internal sealed class SignatureInspector
{
    private readonly IdIndex _ids;
    private readonly TrustEvaluator _trust;
    private readonly int _requiredRank;
    private readonly DateTimeOffset _verificationTime;
    private readonly X509Certificate2Collection _tsaAnchors;
    private readonly DetachedPayload? _payload;

    /// <param name="tsaAnchors">CAs of trusted TSAs; empty to ignore XAdES time-stamps.</param>
    /// <param name="payload">The payload of a detached signature, or null for signatures enveloped in the document.</param>
    public SignatureInspector(
        IdIndex ids, TrustEvaluator trust, int requiredRank, DateTimeOffset verificationTime, X509Certificate2Collection tsaAnchors, DetachedPayload? payload)
    {
        _ids = ids;
        _trust = trust;
        _requiredRank = requiredRank;
        _verificationTime = verificationTime;
        _tsaAnchors = tsaAnchors;
        _payload = payload;
    }

    public SignatureReport Inspect(XmlElement signatureElement)
    {
        var report = new SignatureReport(
            signatureElement.GetAttributeNode("Id")?.Value, SignatureReasons.UnsupportedSignature, "The signature was not examined.");
        try
        {
            InspectCore(signatureElement, report);
        }
        catch (SignatureRejection rejection)
        {
            report.Reject(rejection.Reason, rejection.Message);
        }
        catch (Exception ex) when (ex is CryptographicException or XmlException or FormatException or ArgumentException or InvalidOperationException)
        {
            // Safety net for inputs the checks above did not foresee, such as a certificate that parses but breaks
            // chain building: the caller gets a verdict instead of an exception.
            report.Reject(SignatureReasons.UnsupportedSignature, $"The signature cannot be processed: {ex.Message}");
        }

        return report;
    }

    private void InspectCore(XmlElement signatureElement, SignatureReport report)
    {
        var signature = DsigParser.Parse(signatureElement);
        report.Algorithms = new SignatureAlgorithms(
            signature.SignatureMethod, signature.Canonicalization.Algorithm, signature.References.Select(r => r.DigestMethod).ToList());

        var method = DsigAlgorithms.GetSignatureMethod(signature.SignatureMethod, signature.HasHmacOutputLength);
        if (!DsigAlgorithms.IsCanonicalization(signature.Canonicalization.Algorithm))
        {
            throw new SignatureRejection(
                SignatureReasons.ForbiddenTransform,
                $"The CanonicalizationMethod {signature.Canonicalization.Algorithm} is refused; accepted are inclusive and exclusive C14N 1.0.");
        }

        var plans = PlanReferences(signature);
        var signedReferences = plans.Select(plan => ReferenceDigester.Digest(plan, signatureElement)).ToList();

        var candidates = LoadCertificates(signature);
        try
        {
            var signer = SignedInfoVerifier.FindSigner(signature, method, candidates);
            SignedXmlCrossCheck.Confirm(signature, _ids, signer, _payload);
            report.Signer = new SignerIdentity(signer);
            var signedContent = new SignedContent(plans.Any(plan => plan.IsWholeDocument), signedReferences);
            report.SignedContent = signedContent;

            var properties = plans.FirstOrDefault(plan => plan.Reference.IsSignedProperties) is { } propertiesPlan
                ? XadesReader.Read((XmlElement)propertiesPlan.Target)
                : null;
            report.SigningTime = properties?.SigningTime;
            if (properties is not null)
            {
                XadesReader.CheckSigningCertificate(properties, signer);
            }

            // Without TSA anchors a time-stamp is not looked at: the signature is treated as XAdES B-B.
            var timestampTime = _tsaAnchors.Count > 0 ? SignatureTimestampVerifier.Verify(signature, _tsaAnchors) : null;
            report.TimestampTime = timestampTime;

            // The certificates must be valid at the time-stamp time, which proves the signature existed then, or else
            // at the claimed signing time. A time in the future falls back to now.
            var provenTime = timestampTime ?? properties?.SigningTime;
            var signingTime = provenTime is { } claimed && claimed < _verificationTime ? claimed : _verificationTime;
            SignerKeyRules.Check(signer, signingTime);

            if (!signedContent.CoversWholeDocument)
            {
                var uris = string.Join(", ", plans.Select(plan => $"\"{plan.Reference.Uri}\""));
                if (_payload is not null)
                {
                    throw new SignatureRejection(
                        SignatureReasons.Wrapping,
                        $"The detached signature verifies but does not reference the payload (references {uris}); one reference must name the payload file.");
                }

                throw new SignatureRejection(
                    SignatureReasons.Wrapping,
                    $"The signature verifies but covers only part of the document (references {uris}); a signature with " +
                    "URI=\"\" and the enveloped-signature transform is required.");
            }

            var intermediates = new X509Certificate2Collection();
            intermediates.AddRange(candidates.Where(candidate => !ReferenceEquals(candidate, signer)).ToArray());
            var decision = _trust.Evaluate(signer, intermediates, signingTime, _verificationTime, _requiredRank);
            report.LevelMet = decision.LevelMet;
            if (decision.Reason is not null)
            {
                throw new SignatureRejection(decision.Reason, decision.Detail);
            }

            report.Accept(decision.Detail);
        }
        finally
        {
            foreach (var candidate in candidates)
            {
                if (!ReferenceEquals(candidate, report.Signer?.Certificate))
                {
                    candidate.Dispose();
                }
            }
        }
    }

    private List<ReferencePlan> PlanReferences(DsigSignature signature)
    {
        // Each rule runs over all references before the next one, so that an external URI is reported before
        // anything else about the signature is looked at.
        if (_payload is not null)
        {
            return PlanDetachedReferences(signature, _payload);
        }

        foreach (var reference in signature.References)
        {
            ReferenceRules.CheckUri(reference);
        }

        var transforms = signature.References.Select(ReferenceRules.CheckTransforms).ToList();
        var hashes = signature.References.Select(reference => DsigAlgorithms.GetDigestMethod(reference.DigestMethod)).ToList();

        if (signature.References.Count(reference => reference.IsSignedProperties) > 1)
        {
            throw new SignatureRejection(SignatureReasons.UnsupportedSignature, "The signature has more than one SignedProperties reference.");
        }

        var plans = new List<ReferencePlan>();
        for (var i = 0; i < signature.References.Count; i++)
        {
            var reference = signature.References[i];
            var (enveloped, canonicalization, base64) = transforms[i];
            var target = ReferenceRules.ResolveTarget(reference, signature, _ids, enveloped);
            plans.Add(new ReferencePlan(reference, target, enveloped, canonicalization, base64, hashes[i]));
        }

        return plans;
    }

    /// <summary>
    /// Plans the references of a detached signature: exactly one names the payload by a bare file name, and every
    /// other one is <c>#id</c> inside the signature document. <c>URI=""</c> would designate the signature document
    /// itself and is refused.
    /// </summary>
    private List<ReferencePlan> PlanDetachedReferences(DsigSignature signature, DetachedPayload payload)
    {
        var payloadReferences = 0;
        foreach (var reference in signature.References)
        {
            if (ReferenceRules.IsPayloadFileName(reference.Uri))
            {
                payloadReferences++;
                if (payloadReferences > 1)
                {
                    throw new SignatureRejection(
                        SignatureReasons.ExternalReference,
                        $"{reference.Describe()} is a second external reference; a detached signature names only its payload, once.");
                }

                continue;
            }

            if (reference.Uri is null || !reference.Uri.StartsWith('#'))
            {
                throw new SignatureRejection(
                    SignatureReasons.ExternalReference,
                    $"{reference.Describe()} is refused in a detached signature; accepted are the payload as a bare file name " +
                    "(letters, digits, '.', '_', '-') and URI=\"#id\" inside the signature document. Nothing is ever fetched.");
            }

            ReferenceRules.CheckUri(reference);
        }

        var plans = new List<ReferencePlan>();
        foreach (var reference in signature.References)
        {
            var hash = DsigAlgorithms.GetDigestMethod(reference.DigestMethod);
            if (ReferenceRules.IsPayloadFileName(reference.Uri))
            {
                var canonicalization = ReferenceRules.CheckPayloadTransforms(reference);
                if (canonicalization is { Algorithm: DsigAlgorithms.InclusiveC14N or DsigAlgorithms.ExclusiveC14N })
                {
                    ReferenceRules.CheckPayloadComments(payload.Document, reference);
                }

                plans.Add(new ReferencePlan(reference, payload.Document, false, canonicalization, false, hash, payload));
                continue;
            }

            var (enveloped, referenceCanonicalization, base64) = ReferenceRules.CheckTransforms(reference);
            var target = ReferenceRules.ResolveTarget(reference, signature, _ids, enveloped);
            plans.Add(new ReferencePlan(reference, target, enveloped, referenceCanonicalization, base64, hash));
        }

        if (signature.References.Count(reference => reference.IsSignedProperties) > 1)
        {
            throw new SignatureRejection(SignatureReasons.UnsupportedSignature, "The signature has more than one SignedProperties reference.");
        }

        return plans;
    }

    private static List<X509Certificate2> LoadCertificates(DsigSignature signature)
    {
        if (signature.Certificates.Count == 0)
        {
            throw new SignatureRejection(
                SignatureReasons.UnsupportedSignature, "KeyInfo carries no X509Certificate; the signer must be identified by its certificate.");
        }

        var certificates = new List<X509Certificate2>();
        try
        {
            foreach (var der in signature.Certificates)
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }
        }
        catch (CryptographicException ex)
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }

            throw new SignatureRejection(SignatureReasons.UnsupportedSignature, $"A KeyInfo certificate cannot be read: {ex.Message}");
        }

        return certificates;
    }
}
