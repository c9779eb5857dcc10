namespace Pec.Routing.Routing;

/// <summary>The parts of an <c>amqp://</c> or <c>amqps://</c> URI that the MassTransit host needs.</summary>
internal sealed record RabbitMqAddress(string Host, ushort Port, string VirtualHost, string Username, string Password, bool UseTls)
{
    public static RabbitMqAddress Parse(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("amqp" or "amqps"))
        {
            throw new InvalidOperationException("ConnectionStrings:RabbitMq must be an amqp:// or amqps:// URI.");
        }

        var useTls = parsed.Scheme == "amqps";
        var port = parsed.IsDefaultPort || parsed.Port <= 0 ? (useTls ? 5671 : 5672) : parsed.Port;
        var path = parsed.AbsolutePath.TrimStart('/');
        var virtualHost = path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
        var credentials = parsed.UserInfo.Split(':', 2);
        var username = credentials[0].Length == 0 ? "guest" : Uri.UnescapeDataString(credentials[0]);
        var password = credentials.Length == 2 ? Uri.UnescapeDataString(credentials[1]) : "guest";
        return new RabbitMqAddress(parsed.Host, (ushort)port, virtualHost, username, password, useTls);
    }

    // The password must never reach a log through a record's generated ToString.
    public override string ToString() => $"{(UseTls ? "amqps" : "amqp")}://{Host}:{Port}/{VirtualHost}";
}
