namespace ThanosBridge.UnitTests.Core;

public class PlaceholderTests
{
    [Fact]
    public void Build_Works() => (1 + 1).ShouldBe(2);
}
