using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Delivery;

/// <summary>Waits and reads used by the delivery tests.</summary>
internal static class DeliveryApi
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Polls the flow until its delivery to <paramref name="recipient"/> has <paramref name="status"/>; returns that delivery.</summary>
    public static async Task<JsonElement> WaitForDeliveryAsync(HttpClient sender, Guid flowId, string recipient, string status, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? Timeout);
        var current = "";
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            var flow = await sender.GetFromJsonAsync<JsonElement>($"/api/v1/flows/{flowId}");
            foreach (var delivery in flow.GetProperty("deliveries").EnumerateArray().Where(d => d.GetProperty("recipientId").GetString() == recipient))
            {
                current = delivery.GetProperty("status").GetString()!;
                if (current == status)
                {
                    return delivery.Clone();
                }
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Delivery of {flowId} to {recipient} is '{current}', not '{status}', after {timeout ?? Timeout}.");
        return default;
    }

    public static async Task<List<(int Attempt, string Outcome, int? Status)>> AttemptsAsync(GatewayFixture fixture, Guid flowId, string recipient)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select attempt, outcome, http_status from delivery_attempts where flow_id = @flow and recipient_id = @recipient order by id", connection);
        command.Parameters.AddWithValue("flow", flowId);
        command.Parameters.AddWithValue("recipient", recipient);
        await using var reader = await command.ExecuteReaderAsync();
        var attempts = new List<(int, string, int?)>();
        while (await reader.ReadAsync())
        {
            attempts.Add((reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt32(2)));
        }

        return attempts;
    }

    public static async Task<List<string>> ReceiptKindsAsync(HttpClient client, Guid flowId, string recipient)
    {
        var receipts = await client.GetFromJsonAsync<JsonElement>($"/api/v1/flows/{flowId}/receipts");
        return [.. receipts.GetProperty("items").EnumerateArray()
            .Where(r => r.GetProperty("recipient").ValueKind == JsonValueKind.Null || r.GetProperty("recipient").GetString() == recipient)
            .Select(r => r.GetProperty("kind").GetString()!)];
    }

    public static async Task<List<JsonElement>> AuditEventsAsync(GatewayFixture fixture, Guid flowId)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select details::text, event, actor_id from audit_log where flow_id = @flow order by seq", connection);
        command.Parameters.AddWithValue("flow", flowId);
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<JsonElement>();
        while (await reader.ReadAsync())
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(reader.GetString(0))!.AsObject();
            node["event"] = reader.GetString(1);
            node["actor"] = reader.IsDBNull(2) ? null : reader.GetString(2);
            events.Add(JsonDocument.Parse(node.ToJsonString()).RootElement.Clone());
        }

        return events;
    }
}
