using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Pec.Routing.Registry;

namespace Pec.Routing.Tests.Registry;

/// <summary>Bad <c>delivery</c> entries and delivery expiries are refused when the registry is loaded, each with a message naming the administration.</summary>
public sealed class DeliveryEntryValidationTests
{
    public static TheoryData<string?, string?, string?, string> BadDeliveries => new()
    {
        { "https", "http://recipient.example/inbox", "ca.crt", "must be an absolute https URL without user info" },
        { "https", "https://user:secret@recipient.example/inbox", "ca.crt", "must be an absolute https URL without user info" },
        { "https", "https://user@recipient.example/inbox", "ca.crt", "must be an absolute https URL without user info" },
        { "https", "/inbox", "ca.crt", "must be an absolute https URL without user info" },
        { "https", "ftp://recipient.example/inbox", "ca.crt", "must be an absolute https URL without user info" },
        { "https", "file:///etc/passwd", "ca.crt", "must be an absolute https URL without user info" },
        { "https", null, "ca.crt", "must be an absolute https URL without user info" },
        { "https", "", "ca.crt", "must be an absolute https URL without user info" },
        { "https", "https://recipient.example/inbox", null, "the https channel needs 'trustedCa'" },
        { "https", "https://recipient.example/inbox", " ", "the https channel needs 'trustedCa'" },
        { "sftp", "https://recipient.example/inbox", "ca.crt", "delivery channel 'sftp' is unknown" },
        { "HTTPS", "https://recipient.example/inbox", "ca.crt", "delivery channel 'HTTPS' is unknown" },
        { "", null, null, "delivery channel '' is unknown" },
    };

    [Theory]
    [MemberData(nameof(BadDeliveries))]
    public void Validate_BadDeliveryEntry_NamesAdministrationAndProblem(string? channel, string? url, string? trustedCa, string expected)
    {
        var file = CreateValid();
        file.Administrations[1].Delivery = new RegistryFile.DeliveryEntry { Channel = channel!, Url = url, TrustedCa = trustedCa };

        var errors = RegistryValidator.Validate(file);

        var error = Assert.Single(errors);
        Assert.StartsWith("Administration 'PUSH-A'", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://recipient.example/inbox")]
    [InlineData("https://recipient.example:8443/pec/inbox?tenant=a")]
    [InlineData("https://127.0.0.1:9443/inbox/PUSH-A")]
    public void Validate_GoodHttpsEntry_HasNoError(string url)
    {
        var file = CreateValid();
        file.Administrations[1].Delivery = new RegistryFile.DeliveryEntry { Channel = "https", Url = url, TrustedCa = "ca.crt" };

        Assert.Empty(RegistryValidator.Validate(file));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:00.500")]
    [InlineData("366.00:00:00")]
    [InlineData("-00:01:00")]
    public void Validate_DeliveryExpiryOutOfRange_IsRefused(string expiry)
    {
        var file = CreateValid();
        file.FlowTypes[0].DeliveryExpiry = TimeSpan.Parse(expiry, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Contains(RegistryValidator.Validate(file), e => e.Contains("has deliveryExpiry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Load_MissingCaFile_IsRefusedNamingTheFile()
    {
        using var directory = new TemporaryDirectory();
        var registry = WriteRegistry(directory.Path, "absent-ca.crt");

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => LoadAsync(registry, directory.Path));

        Assert.Contains("Administration 'PUSH-A': delivery CA file", exception.Message, StringComparison.Ordinal);
        Assert.Contains("absent-ca.crt' not found", exception.Message, StringComparison.Ordinal);
    }

    // Every push attempt would then fail as unreachable until the delivery expires; the load must refuse it.
    [Theory]
    [InlineData("not a certificate")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    [InlineData("")]
    public async Task Load_CaFileThatIsNoCertificate_IsRefusedNamingTheFile(string content)
    {
        using var directory = new TemporaryDirectory();
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "garbage-ca.crt"), content);
        var registry = WriteRegistry(directory.Path, "garbage-ca.crt");

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => LoadAsync(registry, directory.Path));

        Assert.Contains("Administration 'PUSH-A': delivery CA file", exception.Message, StringComparison.Ordinal);
        Assert.Contains("garbage-ca.crt' is not a readable certificate", exception.Message, StringComparison.Ordinal);
    }

    private static async Task LoadAsync(string registryPath, string certificateDirectory)
    {
        // The checks run before any connection is opened; nothing listens on this address.
        await using var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=none;Database=none");
        var loader = new RegistryLoader(
            dataSource, Options.Create(new RegistryOptions { Path = registryPath, CertificateDirectory = certificateDirectory }),
            TimeProvider.System, NullLogger<RegistryLoader>.Instance);
        await loader.LoadAsync(CancellationToken.None);
    }

    private static string WriteRegistry(string directory, string trustedCa)
    {
        var path = Path.Combine(directory, "registry.json");
        File.WriteAllText(path, $$"""
            { "version": "t", "administrations": [
                { "id": "DILA", "name": "DILA" },
                { "id": "PUSH-A", "name": "A", "delivery": { "channel": "https", "url": "https://127.0.0.1:9/inbox", "trustedCa": "{{trustedCa}}" } } ],
              "flowTypes": [] }
            """);
        return path;
    }

    private static RegistryFile CreateValid() => new()
    {
        Version = "test-1",
        Administrations =
        [
            new() { Id = "DILA", Name = "DILA" },
            new() { Id = "PUSH-A", Name = "Destinataire A" },
        ],
        FlowTypes =
        [
            new()
            {
                Id = "test.push",
                Description = "test",
                MediaTypes = ["application/xml"],
                MaxSizeBytes = 1024,
                Senders = ["DILA"],
                Recipients = ["PUSH-A"],
            },
        ],
    };

    private sealed class TemporaryDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("pec-registry-test-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
