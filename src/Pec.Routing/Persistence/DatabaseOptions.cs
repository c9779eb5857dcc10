using System.ComponentModel.DataAnnotations;

namespace Pec.Routing.Persistence;

/// <summary>PostgreSQL settings. The connection string comes from <c>ConnectionStrings:Postgres</c>.</summary>
public sealed class DatabaseOptions
{
    /// <summary>Npgsql connection string of the system of record. Required.</summary>
    [Required(ErrorMessage = "ConnectionStrings:Postgres is required (the PostgreSQL connection string).")]
    public string ConnectionString { get; set; } = "";

    /// <summary>Whether the schema migrations run at start. Default true.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
