using System.Security.Cryptography;
using Pec.Signing.HttpSignatures;
using Pec.Signing.Seal;
using Pec.Signing.Tests.Support;

namespace Pec.Signing.Tests.HttpSignatures;

/// <summary>The RFC 9421 profile of push requests: what PEC signs verifies, and anything altered or malformed is refused without throwing.</summary>
public sealed class HttpMessageVerifierTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    private static Dictionary<string, string> Components() => new(StringComparer.Ordinal)
    {
        ["@method"] = "POST",
        ["@target-uri"] = "https://recipient.example/inbox/PUSH-OK",
        ["content-digest"] = HttpSignatureBase.ContentDigest(SHA256.HashData("<m/>"u8)),
        ["content-type"] = "application/xml",
        ["pec-flow-id"] = "0195a3c2-0000-7000-8000-000000000001",
        ["pec-flow-type"] = "test.push",
        ["pec-sender"] = "DILA",
        ["pec-recipient"] = "PUSH-OK",
    };

    private static (PlatformSeal Seal, HttpMessageSigner Signer) Signer(SealKeyKind kind)
    {
        var (_, certificate) = SharedPki.Get(kind);
        var seal = new PlatformSeal(certificate);
        return (seal, new HttpMessageSigner(seal));
    }

    [Theory]
    [InlineData(SealKeyKind.Rsa3072, "rsa-pss-sha512")]
    [InlineData(SealKeyKind.EcdsaP256, "ecdsa-p256-sha256")]
    [InlineData(SealKeyKind.EcdsaP384, "ecdsa-p384-sha384")]
    public void Verify_WhatThePlatformSigned_IsAccepted(SealKeyKind kind, string algorithm)
    {
        var (seal, signer) = Signer(kind);
        using (seal)
        {
            var (input, signature) = signer.Sign(Components(), Now);

            Assert.Equal(algorithm, signer.Algorithm);
            Assert.Null(HttpMessageVerifier.Verify(input, signature, Components(), [seal.Certificate], Now.AddMinutes(4), Skew));
        }
    }

    public static TheoryData<string, string> Tampered => new()
    {
        { "@method", "PUT" },
        { "@target-uri", "https://recipient.example/inbox/PUSH-OTHER" },
        { "content-digest", HttpSignatureBase.ContentDigest(SHA256.HashData("<m>other</m>"u8)) },
        { "content-type", "text/plain" },
        { "pec-flow-id", "0195a3c2-0000-7000-8000-000000000002" },
        { "pec-flow-type", "test.autre" },
        { "pec-sender", "PREF-44" },
        { "pec-recipient", "PUSH-OTHER" },
    };

    [Theory]
    [MemberData(nameof(Tampered))]
    public void Verify_TamperedComponent_IsRefused(string component, string value)
    {
        var (seal, signer) = Signer(SealKeyKind.EcdsaP256);
        using (seal)
        {
            var (input, signature) = signer.Sign(Components(), Now);
            var received = Components();
            received[component] = value;

            Assert.Equal("the signature does not match the request", HttpMessageVerifier.Verify(input, signature, received, [seal.Certificate], Now, Skew));
        }
    }

    // Encoding.ASCII turns every non-ASCII character into '?', so "PUSH-É" and "PUSH-?" had the same signature base.
    [Theory]
    [InlineData("pec-recipient", "PUSH-?", "PUSH-É")]
    [InlineData("@target-uri", "https://recipient.example/inbox?x", "https://recipient.example/inboxéx")]
    public void Verify_NonAsciiValueInPlaceOfQuestionMark_IsRefused(string component, string signedValue, string receivedValue)
    {
        var (seal, signer) = Signer(SealKeyKind.EcdsaP256);
        using (seal)
        {
            var signed = Components();
            signed[component] = signedValue;
            var (input, signature) = signer.Sign(signed, Now);
            var received = Components();
            received[component] = receivedValue;

            Assert.NotNull(HttpMessageVerifier.Verify(input, signature, received, [seal.Certificate], Now, Skew));
        }
    }

    [Fact]
    public void Sign_NonAsciiComponent_Throws()
    {
        var (seal, signer) = Signer(SealKeyKind.EcdsaP256);
        using (seal)
        {
            var components = Components();
            components["pec-recipient"] = "PUSH-É";

            Assert.Throws<ArgumentException>(() => signer.Sign(components, Now));
        }
    }

    [Fact]
    public void Verify_KeyIdOfAnotherCertificate_IsRefused()
    {
        var (seal, signer) = Signer(SealKeyKind.EcdsaP256);
        var (otherSeal, _) = Signer(SealKeyKind.EcdsaP384);
        using (seal)
        using (otherSeal)
        {
            var (input, signature) = signer.Sign(Components(), Now);

            Assert.Equal("the key id names no trusted seal certificate", HttpMessageVerifier.Verify(input, signature, Components(), [otherSeal.Certificate], Now, Skew));
        }
    }

    [Fact]
    public void Verify_KeyIdSwappedToAnotherTrustedCertificate_IsRefused()
    {
        var (seal, signer) = Signer(SealKeyKind.EcdsaP256);
        var (otherSeal, otherSigner) = Signer(SealKeyKind.EcdsaP384);
        using (seal)
        using (otherSeal)
        {
            var (input, signature) = signer.Sign(Components(), Now);
            var swapped = input.Replace(signer.KeyId, otherSigner.KeyId, StringComparison.Ordinal);

            Assert.NotNull(HttpMessageVerifier.Verify(swapped, signature, Components(), [seal.Certificate, otherSeal.Certificate], Now, Skew));
        }
    }

    [Theory]
    [InlineData("ecdsa-p384-sha384")]
    [InlineData("rsa-pss-sha512")]
    [InlineData("hmac-sha256")]
    [InlineData("ed25519")]
    [InlineData("rsa-v1_5-sha256")]
    [InlineData("ECDSA-P256-SHA256")]
    [InlineData("none")]
    public void Verify_OtherAlgorithmName_IsRefused(string algorithm)
    {
        var (seal, signer) = Signer(SealKeyKind.EcdsaP256);
        using (seal)
        {
            var (input, signature) = signer.Sign(Components(), Now);
            var altered = input.Replace("alg=\"ecdsa-p256-sha256\"", $"alg=\"{algorithm}\"", StringComparison.Ordinal);

            Assert.NotNull(HttpMessageVerifier.Verify(altered, signature, Components(), [seal.Certificate], Now, Skew));
        }
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86400 * 365)]
    [InlineData(86400 * 365)]
    public void Verify_CreatedOutsideSkew_IsRefused(int offsetSeconds)
    {
        var (seal, signer) = Signer(SealKeyKind.EcdsaP256);
        using (seal)
        {
            var (input, signature) = signer.Sign(Components(), Now.AddSeconds(offsetSeconds));

            Assert.Equal("the signature's creation time is outside the allowed skew", HttpMessageVerifier.Verify(input, signature, Components(), [seal.Certificate], Now, Skew));
        }
    }

    // created has up to 12 digits in the header pattern, beyond DateTimeOffset's range (253402300799).
    [Theory]
    [InlineData("999999999999")]
    [InlineData("253402300800")]
    [InlineData("0")]
    public void Verify_CreatedOutOfRange_IsRefusedWithoutThrowing(string created)
    {
        var (seal, signer) = Signer(SealKeyKind.EcdsaP256);
        using (seal)
        {
            var (input, signature) = signer.Sign(Components(), Now);
            var altered = System.Text.RegularExpressions.Regex.Replace(input, "created=[0-9]+", "created=" + created);

            Assert.NotNull(HttpMessageVerifier.Verify(altered, signature, Components(), [seal.Certificate], Now, Skew));
        }
    }

    [Theory]
    [InlineData("(\"@method\" \"@target-uri\" \"content-digest\" \"content-type\" \"pec-flow-id\")")]
    [InlineData("(\"@method\" \"@target-uri\" \"content-digest\" \"content-type\" \"pec-flow-id\" \"pec-recipient\" \"date\")")]
    [InlineData("(\"@target-uri\" \"@method\" \"content-digest\" \"content-type\" \"pec-flow-id\" \"pec-recipient\")")]
    [InlineData("()")]
    [InlineData("(@method @target-uri content-digest content-type pec-flow-id pec-recipient)")]
    [InlineData("(\"@method\"  \"@target-uri\" \"content-digest\" \"content-type\" \"pec-flow-id\" \"pec-recipient\")")]
    [InlineData("(\"\"@method\"\" \"@target-uri\" \"content-digest\" \"content-type\" \"pec-flow-id\" \"pec-recipient\")")]
    public void Verify_OtherCoveredComponents_AreRefused(string components)
    {
        var (seal, signer) = Signer(SealKeyKind.EcdsaP256);
        using (seal)
        {
            var (input, signature) = signer.Sign(Components(), Now);
            var altered = "pec=" + components + input[input.IndexOf(')', StringComparison.Ordinal)..][1..];

            Assert.NotNull(HttpMessageVerifier.Verify(altered, signature, Components(), [seal.Certificate], Now, Skew));
        }
    }

    [Fact]
    public void Verify_MissingComponentValue_IsRefused()
    {
        var (seal, signer) = Signer(SealKeyKind.EcdsaP256);
        using (seal)
        {
            var (input, signature) = signer.Sign(Components(), Now);
            var received = Components();
            received.Remove("pec-recipient");

            Assert.Contains("pec-recipient", HttpMessageVerifier.Verify(input, signature, received, [seal.Certificate], Now, Skew), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Verify_ComponentWithLineBreak_IsRefused()
    {
        var (seal, signer) = Signer(SealKeyKind.EcdsaP256);
        using (seal)
        {
            var (input, signature) = signer.Sign(Components(), Now);
            var received = Components();
            received["pec-recipient"] = "PUSH-OK\n\"@method\": GET";

            Assert.NotNull(HttpMessageVerifier.Verify(input, signature, received, [seal.Certificate], Now, Skew));
        }
    }

    public static TheoryData<string?, string?> MalformedHeaders
    {
        get
        {
            var (seal, signer) = Signer(SealKeyKind.EcdsaP256);
            using (seal)
            {
                var (input, signature) = signer.Sign(Components(), Now);
                var value = signature[5..^1];
                return new()
                {
                    { null, signature },
                    { input, null },
                    { "", "" },
                    { input.Replace("pec=", "sig1=", StringComparison.Ordinal), signature },
                    { input, signature.Replace("pec=", "sig1=", StringComparison.Ordinal) },
                    { input + ", sig1=(\"@method\");created=1", signature },
                    { input, signature + ", sig1=:AAAA:" },
                    { input + ";nonce=\"x\"", signature },
                    { input.ToUpperInvariant(), signature },
                    { input, "pec=" + value },
                    { input, "pec=:A:" },
                    { input, "pec=:AAA:" },
                    { input, "pec=:AAAAA===:" },
                    { input, "pec=::" },
                    { input, "pec=:" + new string('A', 4000) + ":" },
                    { input, "pec=:" + value[..^4] + ":" },
                    { input.Replace("created=", "created=-", StringComparison.Ordinal), signature },
                    { input.Replace("keyid=\"", "keyid=\"0", StringComparison.Ordinal), signature },
                };
            }
        }
    }

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void Verify_MalformedHeaders_AreRefusedWithoutThrowing(string? input, string? signature)
    {
        var (seal, _) = Signer(SealKeyKind.EcdsaP256);
        using (seal)
        {
            Assert.NotNull(HttpMessageVerifier.Verify(input, signature, Components(), [seal.Certificate], Now, Skew));
        }
    }

    [Fact]
    public void Verify_SignatureOfAnotherRequest_IsRefused()
    {
        var (seal, signer) = Signer(SealKeyKind.EcdsaP256);
        using (seal)
        {
            var other = Components();
            other["pec-flow-id"] = "0195a3c2-0000-7000-8000-000000000009";
            var (input, _) = signer.Sign(Components(), Now);
            var (_, otherSignature) = signer.Sign(other, Now);

            Assert.NotNull(HttpMessageVerifier.Verify(input, otherSignature, Components(), [seal.Certificate], Now, Skew));
        }
    }

    // RFC 9421 defines no P-521 algorithm, though the platform seal accepts P-521 keys.
    [Fact]
    public void Signer_P521Seal_ThrowsNamingTheCurves()
    {
        var (_, certificate) = SharedPki.Get(SealKeyKind.EcdsaP521);
        using var seal = new PlatformSeal(certificate);

        var exception = Assert.Throws<InvalidOperationException>(() => new HttpMessageSigner(seal));

        Assert.Contains("P-256 or P-384", exception.Message, StringComparison.Ordinal);
    }
}
