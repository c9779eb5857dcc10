using Npgsql;

namespace Pec.Routing.Persistence;

/// <summary>Small helpers that keep SQL call sites to one statement each.</summary>
internal static class NpgsqlExtensions
{
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static async Task<int> ExecuteAsync(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, transaction, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<T?> ScalarAsync<T>(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, transaction, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)value;
    }

    public static async Task<List<T>> QueryAsync<T>(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, transaction, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public static string? GetNullableString(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset? GetNullableTime(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
