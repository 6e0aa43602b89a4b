using ThanosBridge.Core.Collection;

namespace ThanosBridge.Core.Tests.Collection;

public sealed class QueryStepTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(60)]
    [InlineData(300)]
    [InlineData(900)]
    [InlineData(3600)]
    public void Problem_DividesAnHour_None(int seconds)
    {
        QueryStep.Problem(seconds).ShouldBeNull();
        QueryStep.Problem(TimeSpan.FromSeconds(seconds)).ShouldBeNull();
    }

    [Theory]
    [InlineData(7, "7 does not divide 3600")]
    [InlineData(70, "70 does not divide 3600")]
    [InlineData(1000, "1000 does not divide 3600")]
    public void Problem_DoesNotDivideAnHour_SaysSo(int seconds, string expected)
    {
        QueryStep.Problem(seconds).ShouldBe(expected);
        QueryStep.Problem(TimeSpan.FromSeconds(seconds)).ShouldBe(seconds < 10 ? $"{seconds} is not between 10 and 3600" : expected);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(7200)]
    public void Problem_StepOutOfRange_SaysSo(int seconds) =>
        QueryStep.Problem(TimeSpan.FromSeconds(seconds)).ShouldBe($"{seconds} is not between 10 and 3600");

    [Fact]
    public void Problem_FractionOfASecond_SaysWhy() =>
        QueryStep.Problem(TimeSpan.FromMilliseconds(1500)).ShouldBe("1.5 s is not a whole number of seconds");
}
