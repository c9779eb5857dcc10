using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pec.Signing.Receipts;
using Pec.Signing.Seal;
using Pec.Signing.Tests.Support;

namespace Pec.Signing.Tests;

public sealed class AddPecSigningTests
{
    [Fact]
    public async Task Host_WithSealFiles_StartsAndSigns()
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var temp = new TempDirectory();
        var (certificatePath, keyPath) = TestPki.WritePem(sealCertificate, temp.Path, "seal");
        using var host = BuildHost(new() { ["Pec:Seal:CertificatePath"] = certificatePath, ["Pec:Seal:KeyPath"] = keyPath });

        await host.StartAsync();
        try
        {
            var signer = host.Services.GetRequiredService<ReceiptSigner>();
            Assert.Same(signer, host.Services.GetRequiredService<ReceiptSigner>());
            Assert.Same(host.Services.GetRequiredService<PlatformSeal>(), host.Services.GetRequiredService<PlatformSeal>());
            var verifier = host.Services.GetRequiredService<ReceiptVerifier>();

            var result = verifier.Verify(signer.Sign(SampleReceipts.Create()), [ca]);

            Assert.True(result.IsValid, result.FailureReason);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Host_WithoutKeyPath_FailsAtStart()
    {
        using var host = BuildHost(new() { ["Pec:Seal:CertificatePath"] = "/etc/pec/seal.crt" });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(nameof(PlatformSealOptions.KeyPath), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_WithRsa2048Seal_FailsAtStart()
    {
        var (ca, _) = SharedPki.Get(SealKeyKind.Rsa3072);
        using var weak = TestPki.CreateSeal(ca, SealKeyKind.Rsa2048);
        using var temp = new TempDirectory();
        var (certificatePath, keyPath) = TestPki.WritePem(weak, temp.Path, "weak");
        using var host = BuildHost(new() { ["Pec:Seal:CertificatePath"] = certificatePath, ["Pec:Seal:KeyPath"] = keyPath });

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains(keyPath, exception.Message, StringComparison.Ordinal);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddPecSigning(builder.Configuration);
        return builder.Build();
    }
}
