using System.Security.Cryptography;
using System.Text;
using Pec.Routing.Audit;

namespace Pec.Routing.Tests.Audit;

public sealed class AuditLogTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 10, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void Canonicalize_IsStableJson()
    {
        var flowId = Guid.Parse("01a242b5-4ec0-7fe1-a027-abe1a38d52c2");

        var canonical = AuditLog.Canonicalize(7, At, "flow.accepted", "DILA", flowId, """{"a":1}""");

        Assert.Equal(
            """{"seq":7,"at":"2026-12-04T10:00:00.123000Z","event":"flow.accepted","actor":"DILA","flow":"01a242b5-4ec0-7fe1-a027-abe1a38d52c2","details":{"a":1}}""",
            canonical);
    }

    [Fact]
    public void Canonicalize_EscapesClientText()
    {
        var canonical = AuditLog.Canonicalize(1, At, "flow.rejected", "A\"B", null, "{}");

        Assert.Contains("\"actor\":\"A\\u0022B\"", canonical, StringComparison.Ordinal);
        Assert.Contains("\"flow\":null", canonical, StringComparison.Ordinal);
    }

    [Fact]
    public void ComputeHash_ChainsPreviousHash()
    {
        var previous = new byte[32];
        previous[0] = 1;
        var canonical = "{\"seq\":1}";

        var hash = AuditLog.ComputeHash(previous, canonical);

        Assert.Equal(SHA256.HashData([.. previous, .. Encoding.UTF8.GetBytes(canonical)]), hash);
        Assert.NotEqual(hash, AuditLog.ComputeHash(new byte[32], canonical));
    }
}
