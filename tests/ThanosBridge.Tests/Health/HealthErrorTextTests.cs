using ThanosBridge.Health;

namespace ThanosBridge.Tests.Health;

public class HealthErrorTextTests
{
    [Fact]
    public void From_WrappedException_AddsTheInnermostCause()
    {
        var e = new HttpRequestException("An error occurred while sending the request.",
            new IOException("outer io", new System.Net.Sockets.SocketException(111)));

        HealthErrorText.From(e, []).ShouldBe("HttpRequestException: An error occurred while sending the request. (SocketException: Connection refused)");
    }

    [Fact]
    public void From_InnerMessageAlreadyContained_DoesNotRepeatIt()
    {
        var e = new InvalidOperationException("failed: boom", new InvalidOperationException("boom"));

        HealthErrorText.From(e, []).ShouldBe("InvalidOperationException: failed: boom");
    }

    [Fact]
    public void Sanitize_SecretsAndUrlCredentials_AreRedacted()
    {
        var text = HealthErrorText.Sanitize("password authentication failed for koku (pw=abc, longer abcdef) at postgres://koku:abc@db:5432", ["abc", "abcdef", ""]);

        text.ShouldBe("password authentication failed for koku (pw=<redacted>, longer <redacted>) at postgres://<redacted>@db:5432");
    }

    [Fact]
    public void Sanitize_LongMultiLineText_IsOneTruncatedLine()
    {
        var text = HealthErrorText.Sanitize(string.Join("\r\n", Enumerable.Repeat("0123456789", 50)), []);

        text.Length.ShouldBe(HealthErrorText.MaxLength);
        text.ShouldEndWith("…");
        text.ShouldNotContain('\n');
        text.ShouldStartWith("0123456789 0123456789");
    }
}
