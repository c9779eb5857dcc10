using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Npgsql;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Faults.Tests;

/// <summary>
/// Everything one fault-injection run needs, started on 127.0.0.1 and torn down after: a database
/// and a RabbitMQ node of its own, a test PKI, the recipients' HTTPS endpoints, one gateway process
/// (which does not consume) and two routing processes, all supervised so that a killed one restarts.
/// </summary>
internal sealed class FaultBed : IAsyncDisposable
{
    private readonly string _database = $"pec_fault_{Guid.NewGuid():N}";
    private readonly string _directory = Directory.CreateTempSubdirectory("pec-fault-").FullName;

    public FaultBed(FaultSettings settings)
    {
        Settings = settings;
        Push = new PushRecipientServer(Pki);
        Rabbit = new RabbitNode(Path.Combine(_directory, "rabbitmq"), FreePort(), FreePort());
        GatewayPort = FreePort();
    }

    public FaultSettings Settings { get; }

    public TestPki Pki { get; } = new();

    public PushRecipientServer Push { get; }

    public RabbitNode Rabbit { get; }

    public int GatewayPort { get; }

    public Uri GatewayAddress => new($"https://127.0.0.1:{GatewayPort}");

    public string ConnectionString { get; private set; } = "";

    public ManagedProcess Gateway { get; private set; } = null!;

    public ManagedProcess[] Routers { get; private set; } = [];

    public string LogDirectory => Path.GetDirectoryName(Settings.ReportPath)!;

    public async Task StartAsync()
    {
        Directory.CreateDirectory(LogDirectory);
        foreach (var log in Directory.EnumerateFiles(LogDirectory, "fault-*.log"))
        {
            File.Delete(log);
        }

        await using (var connection = new NpgsqlConnection(Repository.Postgres))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {_database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(Repository.Postgres) { Database = _database }.ConnectionString;
        await Rabbit.StartAsync();
        await Push.StartAsync();
        var registry = WriteRegistry();
        var queue = $"pec.fault.{Guid.NewGuid():N}";

        Gateway = new ManagedProcess(
            "gateway", Repository.HostDll("Pec.Gateway"), Path.Combine(Repository.Root, "src", "Pec.Gateway"),
            HostEnvironment(queue, registry, consumers: false), Path.Combine(LogDirectory, "fault-gateway.log"), "Application started");
        await Gateway.StartAsync();
        Routers = [.. Enumerable.Range(1, 2).Select(i => new ManagedProcess(
            $"router-{i}", Repository.HostDll("Pec.Router"), Path.Combine(Repository.Root, "src", "Pec.Router"),
            HostEnvironment(queue, registry, consumers: true), Path.Combine(LogDirectory, $"fault-router-{i}.log"), "Application started"))];
        foreach (var router in Routers)
        {
            await router.StartAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Routers.Append(Gateway).OfType<ManagedProcess>())
        {
            await process.DisposeAsync();
        }

        await Push.DisposeAsync();
        try
        {
            Rabbit.Resume();
        }
        catch (Exception exception) when (exception is IOException or FormatException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Not running: nothing to resume.
        }

        await Rabbit.StopAsync();
        NpgsqlConnection.ClearAllPools();
        await using (var connection = new NpgsqlConnection(Repository.Postgres))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists {_database} with (force)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        Pki.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private Dictionary<string, string> HostEnvironment(string queue, string registry, bool consumers)
    {
        var flows = Settings.Flows.ToString(CultureInfo.InvariantCulture);
        string Probability(double expectedHits, double events) =>
            Settings.InjectFaults ? (expectedHits / events).ToString("0.#####", CultureInfo.InvariantCulture) : "0";
        return new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = GatewayAddress.ToString(),
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["ConnectionStrings__Postgres"] = ConnectionString,
            ["ConnectionStrings__RabbitMq"] = Rabbit.Uri,
            ["Pec__Routing__QueueName"] = queue,
            ["Pec__Routing__RunConsumers"] = consumers ? "true" : "false",
            ["Pec__Routing__PublishTimeout"] = "00:00:02",
            ["Pec__Routing__OutboxPollInterval"] = "00:00:00.250",
            ["Pec__Tls__CertificatePath"] = Pki.PathOf("gateway.crt"),
            ["Pec__Tls__KeyPath"] = Pki.PathOf("gateway.key"),
            ["Pec__ClientAuth__TrustedCaPath"] = Pki.CaPath,
            ["Pec__Seal__CertificatePath"] = Pki.PathOf("seal.crt"),
            ["Pec__Seal__KeyPath"] = Pki.PathOf("seal.key"),
            ["Pec__Registry__Path"] = consumers ? "" : registry,
            ["Pec__Registry__CertificateDirectory"] = Pki.Directory,
            ["Pec__Payloads__Directory"] = Path.Combine(_directory, "payloads"),
            ["Pec__Delivery__ClientCertificatePath"] = Pki.PathOf("delivery.crt"),
            ["Pec__Delivery__ClientKeyPath"] = Pki.PathOf("delivery.key"),
            ["Pec__Delivery__InitialRetryDelay"] = "00:00:00.200",
            ["Pec__Delivery__MaxRetryDelay"] = "00:00:02",
            ["Pec__Delivery__AttemptTimeout"] = "00:00:03",
            ["Pec__Delivery__DispatchLease"] = "00:00:08",
            ["Pec__Delivery__SchedulerInterval"] = "00:00:00.250",
            ["Pec__Delivery__OrderingRecheckDelay"] = "00:00:00.250",
            ["Pec__Delivery__RouteLease"] = "00:00:10",
            ["Pec__Delivery__CircuitBreakDuration"] = "00:00:01",
            // About three hits of each crash point per run, whatever its size.
            ["Pec__Faults__CrashPoints__after-accept-commit"] = Probability(3, Settings.Flows),
            ["Pec__Faults__CrashPoints__after-publish-before-mark"] = Probability(3, 3.0 * Settings.Flows),
            ["Pec__Faults__CrashPoints__after-push-before-record"] = Probability(3, 1.5 * Settings.Flows),
            ["PEC_FAULT_FLOWS"] = flows,
        };
    }

    private string WriteRegistry()
    {
        var registry = new JsonObject
        {
            ["version"] = "fault-injection",
            ["administrations"] = new JsonArray(
                Administration("DILA", "Administration", certificate: true),
                Administration("PREF-44", "Administration", certificate: true),
                Administration("COMMUNE-06088", "Administration", certificate: true),
                Administration("AUDIT", "Auditor", certificate: true),
                PushRecipient("PUSH-OK"), PushRecipient("PUSH-FLAKY"), PushRecipient("PUSH-SLOW")),
            ["flowTypes"] = new JsonArray(
                JsonNode.Parse("""
                    { "id": "fault.flux", "description": "suite de pannes", "mediaTypes": ["application/xml"], "maxSizeBytes": 1048576,
                      "signatureLevel": "none", "deliveryExpiryDays": 1, "senders": ["DILA", "PREF-44"],
                      "recipients": ["PUSH-OK", "PUSH-FLAKY", "PUSH-SLOW", "COMMUNE-06088"] }
                    """),
                JsonNode.Parse("""
                    { "id": "fault.ordonne", "description": "suite de pannes, ordonné", "mediaTypes": ["application/xml"], "maxSizeBytes": 1048576,
                      "signatureLevel": "none", "deliveryExpiryDays": 1, "ordered": true, "senders": ["DILA"], "recipients": ["PUSH-OK"] }
                    """)),
        };
        var path = Pki.PathOf("fault-registry.json");
        File.WriteAllText(path, registry.ToJsonString());
        return path;

        static JsonNode Administration(string id, string role, bool certificate) => new JsonObject
        {
            ["id"] = id, ["name"] = id, ["role"] = role,
            ["certificates"] = certificate ? new JsonArray((JsonNode)$"{id}.crt") : new JsonArray(),
        };

        JsonNode PushRecipient(string id) => new JsonObject
        {
            ["id"] = id, ["name"] = id, ["role"] = "Administration",
            ["delivery"] = new JsonObject { ["channel"] = "https", ["url"] = Push.UrlFor(id).ToString(), ["trustedCa"] = "ca.crt" },
        };
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
