using Pec.Signing.Receipts;

namespace Pec.Signing.Tests;

public sealed class ReceiptKindNamesTests
{
    [Theory]
    [InlineData(ReceiptKind.Deposit, "deposit")]
    [InlineData(ReceiptKind.Delivery, "delivery")]
    [InlineData(ReceiptKind.Acknowledgement, "acknowledgement")]
    [InlineData(ReceiptKind.NonDelivery, "non-delivery")]
    public void WireNames_RoundTrip(ReceiptKind kind, string wireName)
    {
        Assert.Equal(wireName, kind.ToWireName());
        Assert.Equal(kind, ReceiptKindNames.Parse(wireName));
        Assert.True(ReceiptKindNames.TryParse(wireName, out var parsed));
        Assert.Equal(kind, parsed);
    }

    [Theory]
    [InlineData("Deposit")]
    [InlineData("NonDelivery")]
    [InlineData("nondelivery")]
    [InlineData(" delivery")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_RefusesAnythingButTheExactWireName(string? wireName)
    {
        Assert.False(ReceiptKindNames.TryParse(wireName, out _));
    }

    [Fact]
    public void ToWireName_UndefinedValue_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ReceiptKind)99).ToWireName());
    }

    [Fact]
    public void Parse_UnknownName_Throws()
    {
        Assert.Throws<FormatException>(() => ReceiptKindNames.Parse("receipt"));
    }
}
