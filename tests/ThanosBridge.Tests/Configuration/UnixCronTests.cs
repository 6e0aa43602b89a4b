using Quartz;
using ThanosBridge.Configuration;

namespace ThanosBridge.Tests.Configuration;

public class UnixCronTests
{
    [Theory]
    [InlineData("0 */6 * * *", "0 0 */6 * * ?")]
    [InlineData("*/15 * * * *", "0 */15 * * * ?")]
    [InlineData("5,35 8-18/2 * * *", "0 5,35 8-18/2 * * ?")]
    [InlineData("30 2 * * 1-5", "0 30 2 ? * 2-6")]
    [InlineData("0 0 * * 0", "0 0 0 ? * 1")]
    [InlineData("0 0 * * 7", "0 0 0 ? * 1")]
    [InlineData("0 0 * * 6", "0 0 0 ? * 7")]
    [InlineData("0 0 * * 5-7", "0 0 0 ? * 1,6-7")]
    [InlineData("0 0 * * 0-7", "0 0 0 ? * *")]
    [InlineData("0 0 * * */2", "0 0 0 ? * 1,3,5,7")]
    [InlineData("0 0 * * SUN,sat", "0 0 0 ? * 1,7")]
    [InlineData("0 0 * * mon-FRI", "0 0 0 ? * 2-6")]
    [InlineData("0 0 1 * *", "0 0 0 1 * ?")]
    [InlineData("0 0 */10 * *", "0 0 0 */10 * ?")]
    [InlineData("0 0 1 jan,JUL *", "0 0 0 1 1,7 ?")]
    [InlineData("0 12 * JAN-MAR *", "0 0 12 * 1-3 ?")]
    [InlineData("  0   3 * * *  ", "0 0 3 * * ?")]
    [InlineData("@hourly", "0 0 * * * ?")]
    [InlineData("@daily", "0 0 0 * * ?")]
    [InlineData("@midnight", "0 0 0 * * ?")]
    [InlineData("@weekly", "0 0 0 ? * 1")]
    [InlineData("@monthly", "0 0 0 1 * ?")]
    [InlineData("@yearly", "0 0 0 1 1 ?")]
    [InlineData("@ANNUALLY", "0 0 0 1 1 ?")]
    public void ToQuartz_UnixExpression_ConvertsToQuartzForm(string unix, string quartz) =>
        UnixCron.ToQuartz(unix).ShouldBe(quartz);

    [Theory]
    [InlineData("0 */6 * * *")]
    [InlineData("*/15 * * * *")]
    [InlineData("5,35 8-18/2 * * *")]
    [InlineData("30 2 * * 1-5")]
    [InlineData("0 0 * * 0")]
    [InlineData("0 0 * * 7")]
    [InlineData("0 0 * * 5-7")]
    [InlineData("0 0 * * */2")]
    [InlineData("0 0 * * SUN,sat")]
    [InlineData("0 0 */10 * *")]
    [InlineData("0 0 1 jan,JUL *")]
    [InlineData("45 23 * 2 *")]
    public void ToQuartz_UnixExpression_FiresWhenQuartzsOwnUnixReadingFires(string unix)
    {
        // Quartz 4.7.3 can read crontab itself (CronFormat.Unix): both readings must fire at the same instants.
        var ours = new CronExpression(UnixCron.ToQuartz(unix)).WithTimeZone(TimeZoneInfo.Utc);
        var reference = CronExpression.Parse(unix, CronFormat.Unix).WithTimeZone(TimeZoneInfo.Utc);
        var a = new DateTimeOffset(2026, 1, 28, 22, 17, 0, TimeSpan.Zero);
        var b = a;

        for (var i = 0; i < 60; i++)
        {
            a = ours.GetNextValidTimeAfter(a)!.Value;
            b = reference.GetNextValidTimeAfter(b)!.Value;
            a.ShouldBe(b, $"fire #{i} of {unix}");
        }
    }

    [Fact]
    public void ToQuartz_Weekdays_FireMondayToFridayOnly()
    {
        var cron = new CronExpression(UnixCron.ToQuartz("30 2 * * 1-5")).WithTimeZone(TimeZoneInfo.Utc);
        var at = new DateTimeOffset(2026, 8, 2, 0, 0, 0, TimeSpan.Zero); // a Sunday

        var days = Enumerable.Range(0, 5).Select(_ => at = cron.GetNextValidTimeAfter(at)!.Value).Select(t => t.DayOfWeek).ToList();

        days.ShouldBe([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]);
        at.ShouldBe(new DateTimeOffset(2026, 8, 7, 2, 30, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("", "it has 0 fields, not 5 (minute hour day-of-month month day-of-week)")]
    [InlineData("0 0 * *", "it has 4 fields, not 5 (minute hour day-of-month month day-of-week)")]
    [InlineData("0 0 0 * * ?", "it has 6 fields, not 5 (minute hour day-of-month month day-of-week)")]
    [InlineData("60 * * * *", "minute 60 is not between 0 and 59")]
    [InlineData("0 24 * * *", "hour 24 is not between 0 and 23")]
    [InlineData("0 0 0 * *", "day-of-month 0 is not between 1 and 31")]
    [InlineData("0 0 32 * *", "day-of-month 32 is not between 1 and 31")]
    [InlineData("0 0 * 13 *", "month 13 is not between 1 and 12")]
    [InlineData("0 0 * * 8", "day-of-week 8 is not between 0 and 7")]
    [InlineData("0 0 1 * 1", "it restricts both day-of-month (1) and day-of-week (1); cron then runs on either, which Quartz cannot express: restrict one and leave the other *")]
    [InlineData("5/15 * * * *", "minute \"5/15\": a step follows * or a range (e.g. 5-59/15)")]
    [InlineData("*/0 * * * *", "minute \"*/0\": the step 0 is not between 1 and 59")]
    [InlineData("*/x * * * *", "minute \"*/x\": the step x is not between 1 and 59")]
    [InlineData("10-5 * * * *", "minute \"10-5\": the range runs backwards")]
    [InlineData("0 0 * * MON-FOO", "day-of-week \"FOO\" is not a number or a name SUN-SAT")]
    [InlineData("0 0 * JANUARY *", "month \"JANUARY\" is not a number or a name JAN-DEC")]
    [InlineData("0 0 L * *", "day-of-month \"L\" is not a number")]
    [InlineData("0 0 * * 1#2", "day-of-week \"1#2\" is not a number or a name SUN-SAT")]
    [InlineData("0 0 * * 1,,2", "day-of-week \"1,,2\" has an empty list item")]
    [InlineData("? 0 * * *", "minute \"?\" is not a number")]
    [InlineData("@reboot", "unknown macro @reboot; known: @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually")]
    public void ToQuartz_InvalidExpression_ThrowsFormatExceptionSayingWhy(string unix, string message) =>
        Should.Throw<FormatException>(() => UnixCron.ToQuartz(unix)).Message.ShouldBe(message);

    [Fact]
    public void Parse_ValidExpression_KeepsBothForms() =>
        CronSchedule.Parse("0 */6 * * *").ShouldBe(new CronSchedule("0 */6 * * *", "0 0 */6 * * ?"));
}
