namespace Pec.Routing.Persistence;

/// <summary>Wraps a PostgreSQL driver failure with what PEC was doing at the time.</summary>
public sealed class DatabaseException : Exception
{
    public DatabaseException()
    {
    }

    public DatabaseException(string message)
        : base(message)
    {
    }

    public DatabaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
