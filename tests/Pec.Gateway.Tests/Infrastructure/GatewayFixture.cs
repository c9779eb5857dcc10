using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pec.Gateway.Hosting;

namespace Pec.Gateway.Tests.Infrastructure;

/// <summary>
/// One real gateway for the whole test run: Kestrel with mutual TLS on 127.0.0.1, a database of
/// its own on the test PostgreSQL, its own routing queue on the test RabbitMQ, and the sample
/// registry of <c>ops/registry.json</c> bound to a test PKI.
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    private readonly string _databaseName = $"pec_test_{Guid.NewGuid():N}";
    private WebApplication? _app;
    private WebApplication? _tsa;

    public TestPki Pki { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public string PayloadDirectory { get; } = System.IO.Directory.CreateTempSubdirectory("pec-test-payloads-").FullName;

    public async Task InitializeAsync()
    {
        var admin = new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres);
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {_databaseName}", connection);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = _databaseName }.ConnectionString;
        TsaPort = FreeLoopbackPort();
        await StartTsaAsync();
        Push = new PushRecipientServer(Pki);
        await Push.StartAsync();
        Hostile = new HostileRecipientServer(Pki);
        Hostile.Start();
        var registryPath = WriteRegistry();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = ConnectionString,
            ["ConnectionStrings:RabbitMq"] = TestEnvironment.RabbitMq,
            ["Pec:Routing:QueueName"] = $"pec.routing.test.{Guid.NewGuid():N}",
            ["Pec:Routing:OutboxPollInterval"] = "00:00:00.200",
            ["Pec:Tls:CertificatePath"] = Pki.PathOf("gateway.crt"),
            ["Pec:Tls:KeyPath"] = Pki.PathOf("gateway.key"),
            ["Pec:ClientAuth:TrustedCaPath"] = Pki.CaPath,
            ["Pec:ClientAuth:CertificateLevel"] = "RGS**",
            ["Pec:Seal:CertificatePath"] = Pki.PathOf("seal.crt"),
            ["Pec:Seal:KeyPath"] = Pki.PathOf("seal.key"),
            ["Pec:Registry:Path"] = registryPath,
            ["Pec:Registry:CertificateDirectory"] = Pki.Directory,
            ["Pec:Payloads:Directory"] = PayloadDirectory,
            ["Pec:Signatures:Levels:RGS**:Anchors:0:CertificatePath"] = Pki.CaPath,
            ["Pec:Signatures:CrlPaths:0"] = Pki.CrlPath,
            ["Pec:Signatures:TsaAnchorPaths:0"] = Pki.CaPath,
            ["Pec:Timestamping:Url"] = $"http://127.0.0.1:{TsaPort}/",
            ["Pec:Timestamping:TrustedTsaCertificatePath"] = Pki.CaPath,
            ["Pec:Timestamping:Timeout"] = "00:00:02",
            ["Pec:Delivery:ClientCertificatePath"] = Pki.PathOf("delivery.crt"),
            ["Pec:Delivery:ClientKeyPath"] = Pki.PathOf("delivery.key"),
            ["Pec:Delivery:InitialRetryDelay"] = "00:00:00.100",
            ["Pec:Delivery:MaxRetryDelay"] = "00:00:00.500",
            ["Pec:Delivery:AttemptTimeout"] = "00:00:02",
            ["Pec:Delivery:DispatchLease"] = "00:00:05",
            ["Pec:Delivery:SchedulerInterval"] = "00:00:00.100",
            ["Pec:Delivery:OrderingRecheckDelay"] = "00:00:00.200",
            ["Pec:Delivery:CircuitMinimumThroughput"] = "3",
            ["Pec:Delivery:CircuitBreakDuration"] = "00:00:01",
        };

        Configure(settings);
        _app = GatewayApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.WebHost.UseUrls("https://127.0.0.1:0");
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address);
    }

    /// <summary>The test recipients' HTTPS endpoints for push delivery (administrations PUSH-*).</summary>
    public PushRecipientServer Push { get; private set; } = null!;

    /// <summary>Misbehaving recipients' endpoints (administrations in <see cref="HostileRecipients"/>).</summary>
    public HostileRecipientServer Hostile { get; private set; } = null!;

    /// <summary>Lets a derived fixture change the gateway's settings before it starts.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    /// <summary>Port of the development TSA the gateway uses; fixed for the run, so the TSA can be stopped and started again.</summary>
    public int TsaPort { get; private set; }

    /// <summary>Starts the real TSA (src/Pec.Tsa) on 127.0.0.1:<see cref="TsaPort"/> with the test PKI's TSA certificate.</summary>
    public async Task StartTsaAsync()
    {
        _tsa = Pec.Tsa.TsaApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Tsa:CertificatePath"] = Pki.PathOf("tsa.crt"),
                ["Tsa:KeyPath"] = Pki.PathOf("tsa.key"),
            });
            builder.WebHost.UseUrls($"http://127.0.0.1:{TsaPort}");
        });
        await _tsa.StartAsync();
    }

    /// <summary>Stops the TSA, as an outage would; the gateway keeps accepting flows with B-B receipts.</summary>
    public async Task StopTsaAsync()
    {
        if (_tsa is not null)
        {
            await _tsa.StopAsync();
            await _tsa.DisposeAsync();
            _tsa = null;
        }
    }

    public virtual async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await StopTsaAsync();
        if (Push is not null)
        {
            await Push.DisposeAsync();
        }

        if (Hostile is not null)
        {
            await Hostile.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await using (var connection = new NpgsqlConnection(TestEnvironment.Postgres))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists {_databaseName} with (force)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        Pki.Dispose();
        System.IO.Directory.Delete(PayloadDirectory, recursive: true);
    }

    /// <summary>An HTTPS client that trusts only the test CA and presents the certificate of <paramref name="administrationId"/>, or none.</summary>
    public HttpClient CreateClient(string? administrationId, string? acceptLanguage = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = administrationId is null ? null : [Pki.Client(administrationId)],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && ChainsToTestCa(certificate),
            },
        };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress };
        if (acceptLanguage is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(acceptLanguage));
        }

        return client;
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal bool ChainsToTestCa(X509Certificate certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Pki.Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(server);
    }

    /// <summary>Push recipients, an operator, and flow types that reach them, one with a short expiry.</summary>
    public static readonly string[] PushRecipients = ["PUSH-OK", "PUSH-ACK", "PUSH-FLAKY", "PUSH-REFUSE", "PUSH-DOWN", "PUSH-ORDER", "PUSH-CORRUPT", "PUSH-REPLAY", "PUSH-METRICS", "PUSH-RACE", "PUSH-CA-GONE"];

    /// <summary>Push recipients served by <see cref="Hostile"/>, with the endpoint each one's URL points to.</summary>
    public static readonly IReadOnlyDictionary<string, HostileEndpoint> HostileRecipients = new Dictionary<string, HostileEndpoint>(StringComparer.Ordinal)
    {
        ["PUSH-REDIRECT"] = HostileEndpoint.Trusted,
        ["PUSH-BIG-ACK"] = HostileEndpoint.Trusted,
        ["PUSH-ENDLESS"] = HostileEndpoint.Trusted,
        ["PUSH-DRIP"] = HostileEndpoint.Trusted,
        ["PUSH-HANG"] = HostileEndpoint.Trusted,
        ["PUSH-LATE"] = HostileEndpoint.Trusted,
        ["PUSH-TEMPORARY"] = HostileEndpoint.Trusted,
        ["PUSH-REFUSED-4XX"] = HostileEndpoint.Trusted,
        ["PUSH-ODD"] = HostileEndpoint.Trusted,
        ["PUSH-OTHER-CA"] = HostileEndpoint.OtherCa,
        ["PUSH-WRONG-NAME"] = HostileEndpoint.WrongName,
        ["PUSH-CLIENT-EKU"] = HostileEndpoint.ClientUsageOnly,
        ["PUSH-INTERMEDIATE"] = HostileEndpoint.Intermediate,
        ["PUSH-SILENT"] = HostileEndpoint.Silent,
    };

    /// <summary>CA file of PUSH-CA-GONE: a copy of the test CA that a test removes and puts back.</summary>
    public string CaGonePath => Pki.PathOf("push-ca-gone.crt");

    private void AddDeliveryTestEntries(JsonNode registry)
    {
        var administrations = registry["administrations"]!.AsArray();
        administrations.Add(JsonNode.Parse($$"""{ "id": "{{TestPki.Operator}}", "name": "Exploitation PEC", "role": "Operator", "certificates": ["{{TestPki.Operator}}.crt"] }"""));
        File.Copy(Pki.CaPath, CaGonePath);
        foreach (var id in PushRecipients)
        {
            var url = id == "PUSH-DOWN" ? $"https://127.0.0.1:{FreeLoopbackPort()}/inbox/{id}" : Push.UrlFor(id).ToString();
            var ca = id == "PUSH-CA-GONE" ? Path.GetFileName(CaGonePath) : "ca.crt";
            administrations.Add(JsonNode.Parse(
                $$"""{ "id": "{{id}}", "name": "Destinataire {{id}}", "role": "Administration", "delivery": { "channel": "https", "url": "{{url}}", "trustedCa": "{{ca}}" } }"""));
        }

        foreach (var (id, endpoint) in HostileRecipients)
        {
            administrations.Add(JsonNode.Parse(
                $$"""{ "id": "{{id}}", "name": "Destinataire {{id}}", "role": "Administration", "delivery": { "channel": "https", "url": "{{Hostile.UrlFor(endpoint, id)}}", "trustedCa": "ca.crt" } }"""));
        }

        var recipients = string.Join(", ", PushRecipients.Concat(HostileRecipients.Keys).Append("COMMUNE-06088").Select(r => $"\"{r}\""));
        registry["flowTypes"]!.AsArray().Add(JsonNode.Parse(
            $$"""
            { "id": "test.push", "description": "test", "mediaTypes": ["application/xml"], "maxSizeBytes": 1048576, "signatureLevel": "none",
              "ordered": true, "deliveryExpiry": "00:01:00", "senders": ["DILA"], "recipients": [{{recipients}}] }
            """));
        registry["flowTypes"]!.AsArray().Add(JsonNode.Parse(
            $$"""
            { "id": "test.push-short", "description": "test", "mediaTypes": ["application/xml"], "maxSizeBytes": 1048576, "signatureLevel": "none",
              "deliveryExpiry": "00:00:03", "senders": ["DILA"], "recipients": [{{recipients}}] }
            """));
    }

    // The sample registry as shipped, plus the test-only administrations' certificates.
    private string WriteRegistry()
    {
        var registry = JsonNode.Parse(File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "ops", "registry.json")))!;
        var dila = registry["administrations"]!.AsArray().Single(a => (string?)a!["id"] == "DILA")!;
        dila["revokedCertificates"] = new JsonArray(TestPki.Fingerprint(Pki.Client(TestPki.Revoked)));

        // A signed flow type for binary and JSON payloads, whose signatures travel in Pec-Signature.
        registry["flowTypes"]!.AsArray().Add(JsonNode.Parse(
            """
            { "id": "test.document-signe", "description": "test", "mediaTypes": ["application/pdf", "application/json", "application/xml"],
              "maxSizeBytes": 1048576, "signatureLevel": "RGS**", "senders": ["COMMUNE-214400152"], "recipients": ["PREF-44"] }
            """));

        // Flow types whose unsigned payloads PEC seals, at a level the client certificates meet (RGS*) and one they do not (RGS***).
        foreach (var (id, level) in new[] { ("test.scelle", "RGS*"), ("test.scelle-rgs3", "RGS***") })
        {
            registry["flowTypes"]!.AsArray().Add(JsonNode.Parse(
                $$"""
                { "id": "{{id}}", "description": "test", "mediaTypes": ["application/xml", "application/pdf"], "maxSizeBytes": 1048576,
                  "signatureLevel": "{{level}}", "sealUnsigned": true, "senders": ["DILA"], "recipients": ["COMMUNE-06088"] }
                """));
        }

        AddDeliveryTestEntries(registry);
        AddRecipientRuleFixtures(registry);
        var path = Pki.PathOf("registry.json");
        File.WriteAllText(path, registry.ToJsonString());
        return path;
    }

    /// <summary>
    /// INSEE codes for a second and a third commune, and flow types whose recipients come from the
    /// payload: XML and JSON documents naming several communes, and the public JSON sample
    /// <c>otv-test1.json</c>, whose address is in Toulon (INSEE 83137), a commune the shipped registry lacks.
    /// </summary>
    private static void AddRecipientRuleFixtures(JsonNode registry)
    {
        var administrations = registry["administrations"]!.AsArray();

        // A commune's SIREN is 21, its INSEE code with the département on three digits, and a check digit: 21 440 15 2.
        administrations.Single(a => (string?)a!["id"] == "COMMUNE-214400152")!["codes"] = JsonNode.Parse("""{ "insee": ["44015"] }""");
        administrations.Add(JsonNode.Parse("""{ "id": "COMMUNE-83137", "name": "Commune de Toulon", "role": "Administration", "codes": { "insee": ["83137"] } }"""));

        // Every holder of an INSEE code must be a permitted recipient of each flow type routed by INSEE code.
        foreach (var flowType in registry["flowTypes"]!.AsArray().Where(f => f!["recipientRules"] is not null))
        {
            flowType!["recipients"]!.AsArray().Add("COMMUNE-83137");
        }

        const string Communes = """["COMMUNE-06088", "COMMUNE-214400152", "COMMUNE-83137"]""";
        registry["flowTypes"]!.AsArray().Add(JsonNode.Parse(
            $$"""
            { "id": "test.communes", "description": "test", "mediaTypes": ["application/xml", "application/json", "application/pdf"],
              "maxSizeBytes": 1048576, "signatureLevel": "none", "senders": ["DILA"], "recipients": {{Communes}},
              "recipientRules": [
                { "xpath": "/d:demande/d:commune/@insee", "namespaces": { "d": "urn:pec:test:communes" }, "code": "insee" },
                { "jsonPath": "$.communes[*]['code insee']", "code": "insee" } ] }
            """));
        registry["flowTypes"]!.AsArray().Add(JsonNode.Parse(
            $$"""
            { "id": "test.tranquillite-vacances", "description": "test", "mediaTypes": ["application/json"],
              "maxSizeBytes": 1048576, "signatureLevel": "none", "senders": ["DILA"], "recipients": {{Communes}},
              "recipientRules": [ { "jsonPath": "$.ADRESSE_FORM.CODE_INSEE", "code": "insee" } ] }
            """));
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayTestGroup : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
