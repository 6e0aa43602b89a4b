using System.Globalization;
using System.Text.RegularExpressions;
using ThanosBridge.Adapters.Kafka;
using V = ThanosBridge.Configuration.BridgeVariables;

namespace ThanosBridge.Configuration;

/// <summary>Reads KAFKA_BOOTSTRAP_SERVERS (or INSIGHTS_KAFKA_HOST/_PORT), KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_* and KAFKA_SSL_CA_LOCATION.</summary>
internal static partial class KafkaSettingsReader
{
    private static readonly string[] SecurityProtocols = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"];
    private static readonly string[] SaslMechanisms = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];

    public static KafkaOptions? Read(VariableReader reader)
    {
        var bootstrap = reader.Text(V.KafkaBootstrapServers);
        if (bootstrap is not null && !BootstrapServers().IsMatch(bootstrap))
        {
            reader.Fail(V.KafkaBootstrapServers, $"{VariableReader.Quote(bootstrap)} is not host:port[,host:port...]");
        }

        var insightsHost = reader.Text(V.InsightsKafkaHost);
        var insightsPort = reader.OptionalInt(V.InsightsKafkaPort, 1, 65535);
        if (insightsHost is not null && insightsPort is null && !reader.IsSet(V.InsightsKafkaPort))
        {
            reader.Fail(V.InsightsKafkaPort, "not set, but INSIGHTS_KAFKA_HOST is");
        }
        else if (insightsHost is null && reader.IsSet(V.InsightsKafkaPort))
        {
            reader.Fail(V.InsightsKafkaHost, "not set, but INSIGHTS_KAFKA_PORT is");
        }

        string? insights = insightsHost is not null && insightsPort is not null
            ? string.Create(CultureInfo.InvariantCulture, $"{insightsHost}:{insightsPort}")
            : null;
        if (bootstrap is not null && insights is not null && bootstrap != insights)
        {
            reader.Fail(V.InsightsKafkaHost, $"{VariableReader.Quote(insights)} (with INSIGHTS_KAFKA_PORT) differs from KAFKA_BOOTSTRAP_SERVERS={VariableReader.Quote(bootstrap)}; set one");
        }

        var protocol = reader.OneOf(V.KafkaSecurityProtocol, SecurityProtocols);
        var mechanism = reader.OneOf(V.KafkaSaslMechanism, SaslMechanisms);
        var username = reader.Text(V.KafkaSaslUsername);
        var password = reader.Text(V.KafkaSaslPassword);
        var caLocation = reader.ExistingFile(V.KafkaSslCaLocation);
        var servers = bootstrap ?? insights;

        if (servers is null && !reader.IsSet(V.KafkaBootstrapServers) && !reader.IsSet(V.InsightsKafkaHost))
        {
            var others = reader.SetAmong(V.KafkaSecurityProtocol, V.KafkaSaslMechanism, V.KafkaSaslUsername, V.KafkaSaslPassword, V.KafkaSslCaLocation);
            if (others.Count > 0)
            {
                reader.Fail(V.KafkaBootstrapServers, $"not set, but {VariableReader.Listing(others)}; set KAFKA_BOOTSTRAP_SERVERS (or INSIGHTS_KAFKA_HOST and INSIGHTS_KAFKA_PORT)");
            }

            return null;
        }

        if (reader.IsSet(V.KafkaSaslMechanism))
        {
            reader.RequireWith(V.KafkaSaslMechanism, V.KafkaSaslUsername, V.KafkaSaslPassword);
        }
        else
        {
            var credentials = reader.SetAmong(V.KafkaSaslUsername, V.KafkaSaslPassword);
            if (credentials.Count > 0)
            {
                reader.Fail(V.KafkaSaslMechanism, $"not set, but {VariableReader.Listing(credentials)}; without a mechanism the credentials would be ignored");
            }
            else if (protocol is "SASL_PLAINTEXT" or "SASL_SSL")
            {
                reader.Fail(V.KafkaSaslMechanism, $"not set, but KAFKA_SECURITY_PROTOCOL is {protocol}");
            }
        }

        if (protocol is "PLAINTEXT" or "SSL" && mechanism is not null)
        {
            reader.Fail(V.KafkaSecurityProtocol, $"\"{protocol}\" does not use SASL, but KAFKA_SASL_MECHANISM is {mechanism}; use SASL_SSL or SASL_PLAINTEXT");
        }

        var effectiveProtocol = protocol ?? (mechanism is not null ? "SASL_SSL" : "PLAINTEXT");
        if (protocol is null)
        {
            reader.Describe(V.KafkaSecurityProtocol, effectiveProtocol, isDefault: true);
        }

        if (caLocation is not null && effectiveProtocol is "PLAINTEXT" or "SASL_PLAINTEXT")
        {
            reader.Fail(V.KafkaSslCaLocation, $"{VariableReader.Quote(caLocation)} is set, but KAFKA_SECURITY_PROTOCOL is {effectiveProtocol}, which does not use TLS");
        }

        return servers is null
            ? null
            : new KafkaOptions
            {
                BootstrapServers = servers,
                SecurityProtocol = effectiveProtocol,
                SaslMechanism = mechanism,
                SaslUsername = username,
                SaslPassword = password,
                SslCaLocation = caLocation,
            };
    }

    [GeneratedRegex(@"^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}(,([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5})*$")]
    private static partial Regex BootstrapServers();
}
