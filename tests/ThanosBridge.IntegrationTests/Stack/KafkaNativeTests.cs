using ThanosBridge.Adapters.Kafka;

namespace ThanosBridge.IntegrationTests.Stack;

public class KafkaNativeTests
{
    [Fact]
    public void SystemLibrdkafka_Loads_ReportsDebianVersion()
    {
        SystemLibrdkafka.Version.ShouldStartWith("2.");
    }
}
