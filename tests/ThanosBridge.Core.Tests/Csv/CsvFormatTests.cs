using ThanosBridge.Core.Csv;

namespace ThanosBridge.Core.Tests.Csv;

public class CsvFormatTests
{
    [Theory]
    [InlineData(0.0078125, "0.007812")] // exact tie, rounds to even
    [InlineData(0.0234375, "0.023438")] // exact tie, rounds to even
    [InlineData(0.1234564567, "0.123456")]
    [InlineData(0.0000015, "0.000002")] // binary value is just above the tie
    [InlineData(4.0, "4.000000")]
    [InlineData(0.0, "0.000000")]
    [InlineData(1234567890.0, "1234567890.000000")]
    [InlineData(59410582732800.0, "59410582732800.000000")]
    [InlineData(1e18, "1000000000000000000.000000")]
    [InlineData(999999999999999872.0, "999999999999999872.000000")]
    [InlineData(1e23, "99999999999999991611392.000000")] // exact binary value, no exponent
    [InlineData(-2.5, "-2.500000")]
    public void Number_FiniteValue_MatchesGoFormatFloat(double value, string expected) =>
        CsvFormat.Number(value).ShouldBe(expected);

    [Fact]
    public void Number_SumInFloat64_KeepsGoRounding() => CsvFormat.Number((0.1 + 0.2) * 60).ShouldBe("18.000000");

    [Fact]
    public void Number_NegativeZero_KeepsSign() => CsvFormat.Number(-0.0).ShouldBe("-0.000000");

    [Fact]
    public void Number_TinyNegative_RoundsToNegativeZero() => CsvFormat.Number(-1e-7).ShouldBe("-0.000000");

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Number_SpecialValue_SpelledTheGoWay(double value, string expected) =>
        CsvFormat.Number(value).ShouldBe(expected);

    [Fact]
    public void Timestamp_UtcTime_IsGoTimeString() =>
        CsvFormat.Timestamp(new DateTimeOffset(2020, 11, 6, 18, 0, 0, TimeSpan.Zero)).ShouldBe("2020-11-06 18:00:00 +0000 UTC");

    [Fact]
    public void Timestamp_OtherOffset_WritesTheUtcInstant() =>
        CsvFormat.Timestamp(new DateTimeOffset(2020, 11, 6, 20, 59, 59, TimeSpan.FromHours(2))).ShouldBe("2020-11-06 18:59:59 +0000 UTC");

    [Fact]
    public void Timestamp_FractionalSeconds_Throws() =>
        Should.Throw<ArgumentException>(() => CsvFormat.Timestamp(new DateTimeOffset(2020, 11, 6, 18, 0, 0, 500, TimeSpan.Zero)));

    [Fact]
    public void ReportPeriodStart_MidMonth_IsFirstOfMonth() =>
        CsvFormat.ReportPeriodStart(new DateTimeOffset(2020, 11, 6, 18, 0, 0, TimeSpan.Zero)).ShouldBe("2020-11-01 00:00:00 +0000 UTC");

    [Fact]
    public void ReportPeriodEnd_MidMonth_IsFirstOfNextMonth() =>
        CsvFormat.ReportPeriodEnd(new DateTimeOffset(2020, 11, 30, 23, 59, 59, TimeSpan.Zero)).ShouldBe("2020-12-01 00:00:00 +0000 UTC");

    [Fact]
    public void ReportPeriodEnd_December_RollsOverTheYear() =>
        CsvFormat.ReportPeriodEnd(new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero)).ShouldBe("2027-01-01 00:00:00 +0000 UTC");

    [Fact]
    public void ReportPeriodStart_LocalOffsetAcrossMonth_UsesUtcMonth() =>
        // 2026-09-01 01:00 +02:00 is still August in UTC.
        CsvFormat.ReportPeriodStart(new DateTimeOffset(2026, 9, 1, 1, 0, 0, TimeSpan.FromHours(2))).ShouldBe("2026-08-01 00:00:00 +0000 UTC");
}
