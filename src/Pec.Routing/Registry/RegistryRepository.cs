using System.Text.Json;
using Npgsql;
using Pec.Routing.Persistence;

namespace Pec.Routing.Registry;

/// <summary>Reads the registry from PostgreSQL: certificates, administrations and flow types.</summary>
public sealed class RegistryRepository
{
    private readonly NpgsqlDataSource _dataSource;

    internal RegistryRepository(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    /// <summary>Finds the administration a certificate (by SHA-256 of its DER) is registered to, or null.</summary>
    public async Task<CertificateBinding?> FindCertificateAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            """
            select a.id, a.name, a.siren, a.role, c.revoked_at
            from administration_certificates c join administrations a on a.id = c.administration_id
            where c.sha256 = @sha
            """,
            null,
            r => new CertificateBinding(ReadAdministration(r), r.GetNullableTime(4)),
            cancellationToken,
            ("sha", sha256Hex));
        return rows.SingleOrDefault();
    }

    public async Task<FlowType?> FindFlowTypeAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            """
            select id, description, media_types, max_size_bytes, signature_level, seal_unsigned,
                   delivery_expiry_s, retention_days, senders, recipients, ordered, recipient_rules::text
            from flow_types where id = @id
            """,
            null,
            r => new FlowType(
                r.GetString(0), r.GetString(1), r.GetFieldValue<string[]>(2), r.GetInt64(3), r.GetString(4), r.GetBoolean(5),
                TimeSpan.FromSeconds(r.GetInt64(6)), r.GetInt32(7), r.GetFieldValue<string[]>(8), r.GetFieldValue<string[]>(9))
            {
                Ordered = r.GetBoolean(10),
                RecipientRules = JsonSerializer.Deserialize<RecipientRule[]>(r.GetString(11)) ?? [],
            },
            cancellationToken,
            ("id", id));
        return rows.SingleOrDefault();
    }

    /// <summary>Returns the ids among <paramref name="ids"/> that are registered administrations.</summary>
    public async Task<IReadOnlySet<string>> FindExistingAdministrationsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            "select id from administrations where id = any(@ids)", null, r => r.GetString(0), cancellationToken, ("ids", ids.ToArray()));
        return rows.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Maps each of <paramref name="codes"/> that is a registered code of <paramref name="kind"/> to that administration's id.</summary>
    public async Task<IReadOnlyDictionary<string, string>> FindAdministrationsByCodeAsync(string kind, IReadOnlyCollection<string> codes, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            "select code, administration_id from administration_codes where kind = @kind and code = any(@codes)",
            null, r => (Code: r.GetString(0), AdministrationId: r.GetString(1)), cancellationToken,
            ("kind", kind), ("codes", codes.ToArray()));
        return rows.ToDictionary(row => row.Code, row => row.AdministrationId, StringComparer.Ordinal);
    }

    internal static Administration ReadAdministration(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetNullableString(2),
            AdministrationRoles.Parse(reader.GetString(3)));
}
