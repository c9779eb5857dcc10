using Pec.Signing.Tests.Verification.Support;
using Pec.Signing.Verification;

namespace Pec.Signing.Tests.Verification;

/// <summary>Random single-byte damage to a signed document: the verifier must return a verdict, and accept only unchanged signed content.</summary>
public sealed class DamagedDocumentTests
{
    [Theory]
    [InlineData(SignerKey.Rsa3072, false)]
    [InlineData(SignerKey.EcdsaP256, true)]
    public void Verify_RandomlyDamagedDocument_NeverThrowsNorAcceptsChangedContent(SignerKey key, bool xades)
    {
        var pki = TestPolicy.Shared;
        var signer = key == SignerKey.Rsa3072 ? pki.Rsa3072 : pki.EcdsaP256;
        var original = DocumentSigner.Sign(SampleDocuments.Request(), signer, new() { Xades = xades, SigningTime = xades ? VerificationPki.Now : null });
        var verifier = pki.Verifier();
        var reference = verifier.Verify(original, SignatureLevels.RgsOneStar);
        Assert.True(reference.IsValid, reference.ToString());
        var signedBytes = reference.SignedContent!.References[0].DigestedBytes.ToArray();

        // Fixed seed: a failure reproduces. 400 damaged copies take about a second.
        var random = new Random(20_250_314);
        for (var i = 0; i < 400; i++)
        {
            var damaged = (byte[])original.Clone();
            damaged[random.Next(damaged.Length)] = (byte)random.Next(256);

            var verdict = verifier.Verify(damaged, SignatureLevels.RgsOneStar);

            if (verdict.IsValid)
            {
                Assert.Equal(signedBytes, verdict.SignedContent!.References[0].DigestedBytes.ToArray());
            }
            else
            {
                Assert.Contains(verdict.Reason, SignatureReasons.All);
            }
        }
    }
}
