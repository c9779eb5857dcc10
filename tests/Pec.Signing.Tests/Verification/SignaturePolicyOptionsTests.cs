using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pec.Signing.Tests.Support;
using Pec.Signing.Tests.Verification.Support;
using Pec.Signing.Verification;

namespace Pec.Signing.Tests.Verification;

public sealed class SignaturePolicyOptionsTests
{
    private static TestPolicy Pki => TestPolicy.Shared;

    [Fact]
    public async Task Host_WithSignatureSection_StartsAndVerifies()
    {
        using var host = BuildHost(new()
        {
            ["Pec:Signatures:Levels:RGS*:Anchors:0:CertificatePath"] = Pki.RgsOneStarCaPath,
            ["Pec:Signatures:Levels:RGS**:Anchors:0:CertificatePath"] = Pki.RgsTwoStarsCaPath,
            ["Pec:Signatures:Levels:RGS**:Anchors:0:PolicyOids:0"] = TestPolicy.PolicyOid,
            ["Pec:Signatures:Levels:RGS**:RequireNonRepudiation"] = "false",
            ["Pec:Signatures:CrlPaths:0"] = Pki.CrlPaths[0],
            ["Pec:Signatures:CrlPaths:1"] = Pki.CrlPaths[1],
        });

        await host.StartAsync();
        try
        {
            var options = host.Services.GetRequiredService<IOptions<SignaturePolicyOptions>>().Value;
            Assert.Equal(2, options.Levels.Count);
            Assert.Equal([TestPolicy.PolicyOid], options.Levels[SignatureLevels.RgsTwoStars].Anchors[0].PolicyOids);
            Assert.False(options.Levels[SignatureLevels.RgsTwoStars].RequireNonRepudiation);
            Assert.True(options.Levels[SignatureLevels.RgsOneStar].RequireNonRepudiation);
            Assert.Equal(2, options.CrlPaths.Count);

            var verifier = host.Services.GetRequiredService<XmlSignatureVerifier>();
            Assert.Same(verifier, host.Services.GetRequiredService<XmlSignatureVerifier>());
            var verdict = verifier.Verify(DocumentSigner.Sign(SampleDocuments.Request(), Pki.Rsa3072), SignatureLevels.RgsOneStar);
            Assert.True(verdict.IsValid, verdict.ToString());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    public static TheoryData<string, string, string> InvalidSettings => new()
    {
        { "Pec:Signatures:Levels:RGS*:Anchors:0:CertificatePath", "/nonexistent/pec/ca.pem", "/nonexistent/pec/ca.pem" },
        { "Pec:Signatures:Levels:RGS****:Anchors:0:CertificatePath", "{rgs1}", "RGS****" },
        { "Pec:Signatures:Levels:none:Anchors:0:CertificatePath", "{rgs1}", "'none'" },
        { "Pec:Signatures:Levels:RGS*:RequireNonRepudiation", "true", "Anchors is empty" },
        { "Pec:Signatures:CrlPaths:0", "{garbage}", "is not a valid DER or PEM X.509 CRL" },
        { "Pec:Signatures:CrlPaths:0", "{rgs1}", "is not a valid DER or PEM X.509 CRL" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Host_WithInvalidSetting_FailsAtStart(string key, string value, string expectedInMessage)
    {
        using var temp = new TempDirectory();
        var garbage = temp.File("garbage.crl");
        await File.WriteAllTextAsync(garbage, "pas une CRL");
        var resolved = value.Replace("{rgs1}", Pki.RgsOneStarCaPath, StringComparison.Ordinal).Replace("{garbage}", garbage, StringComparison.Ordinal);
        using var host = BuildHost(new() { [key] = resolved });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expectedInMessage, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_WithInvalidPolicyOid_FailsAtStart()
    {
        using var host = BuildHost(new()
        {
            ["Pec:Signatures:Levels:RGS*:Anchors:0:CertificatePath"] = Pki.RgsOneStarCaPath,
            ["Pec:Signatures:Levels:RGS*:Anchors:0:PolicyOids:0"] = "politique-rgs",
        });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("politique-rgs", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WithMissingAnchorFile_Throws()
    {
        var options = new SignaturePolicyOptions();
        options.Levels[SignatureLevels.RgsOneStar] = TestPolicy.Level("/nonexistent/pec/ca.pem");

        var exception = Assert.Throws<InvalidOperationException>(() => new XmlSignatureVerifier(options, TimeProvider.System));

        Assert.Contains("Pec:Signatures:Levels:RGS*:Anchors:0:CertificatePath", exception.Message, StringComparison.Ordinal);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddPecSignatureVerification(builder.Configuration);
        return builder.Build();
    }
}
