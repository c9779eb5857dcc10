using Pec.Routing.Routing;

namespace Pec.Routing.Tests.Routing;

public sealed class RabbitMqAddressTests
{
    [Theory]
    [InlineData("amqp://pec:secret@127.0.0.1:55672/pec", "127.0.0.1", 55672, "pec", "pec", "secret", false)]
    [InlineData("amqp://127.0.0.1", "127.0.0.1", 5672, "/", "guest", "guest", false)]
    [InlineData("amqps://user:p%40ss@broker.example:5671/%2F", "broker.example", 5671, "/", "user", "p@ss", true)]
    [InlineData("amqps://user:pw@broker.example/vh", "broker.example", 5671, "vh", "user", "pw", true)]
    public void Parse_ValidUri_ReturnsParts(string uri, string host, int port, string virtualHost, string username, string password, bool tls)
    {
        var address = RabbitMqAddress.Parse(uri);

        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
        Assert.Equal(virtualHost, address.VirtualHost);
        Assert.Equal(username, address.Username);
        Assert.Equal(password, address.Password);
        Assert.Equal(tls, address.UseTls);
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:5672")]
    [InlineData("http://127.0.0.1:5672/")]
    [InlineData("rabbitmq://127.0.0.1/")]
    public void Parse_InvalidUri_Throws(string uri)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => RabbitMqAddress.Parse(uri));

        Assert.Contains("ConnectionStrings:RabbitMq", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NeverContainsPassword()
    {
        var address = RabbitMqAddress.Parse("amqp://pec:very-secret@127.0.0.1:55672/pec");

        Assert.DoesNotContain("very-secret", address.ToString(), StringComparison.Ordinal);
    }
}
