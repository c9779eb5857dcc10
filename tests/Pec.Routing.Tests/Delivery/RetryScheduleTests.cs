using Pec.Routing.Delivery;

namespace Pec.Routing.Tests.Delivery;

public sealed class RetryScheduleTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Max = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(1, 15, 30)]
    [InlineData(2, 30, 60)]
    [InlineData(3, 60, 120)]
    [InlineData(5, 240, 480)]
    public void DelayBefore_DoublesEachRetry_WithinHalfToFullJitter(int retry, double lowSeconds, double highSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(lowSeconds), RetrySchedule.DelayBefore(retry, Initial, Max, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(highSeconds), RetrySchedule.DelayBefore(retry, Initial, Max, random: 1));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(40)]
    [InlineData(int.MaxValue)]
    public void DelayBefore_ManyRetries_IsCappedAtMaxDelay(int retry)
    {
        Assert.Equal(Max, RetrySchedule.DelayBefore(retry, Initial, Max, random: 1));
        Assert.Equal(Max / 2, RetrySchedule.DelayBefore(retry, Initial, Max, random: 0));
    }

    [Fact]
    public void DelayBefore_RandomOutOfRange_IsClamped()
    {
        Assert.Equal(RetrySchedule.DelayBefore(2, Initial, Max, 1), RetrySchedule.DelayBefore(2, Initial, Max, 7));
        Assert.Equal(RetrySchedule.DelayBefore(2, Initial, Max, 0), RetrySchedule.DelayBefore(2, Initial, Max, -3));
    }

    [Fact]
    public void DelayBefore_RetryZero_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RetrySchedule.DelayBefore(0, Initial, Max, 0.5));
    }
}
