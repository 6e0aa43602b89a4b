using ThanosBridge.Adapters.Thanos;
using V = ThanosBridge.Configuration.BridgeVariables;

namespace ThanosBridge.Configuration;

/// <summary>Reads THANOS_QUERY_URL, THANOS_QUERY_TOKEN(_FILE), THANOS_QUERY_CA_FILE, THANOS_QUERY_INSECURE_SKIP_VERIFY and THANOS_BRIDGE_QUERY_TIMEOUT/_RETRIES.</summary>
internal static class ThanosSettingsReader
{
    public static ThanosClientOptions Read(VariableReader reader)
    {
        var url = reader.HttpUrl(V.ThanosQueryUrl);
        if (url is null && !reader.IsSet(V.ThanosQueryUrl))
        {
            reader.Fail(V.ThanosQueryUrl, "not set; required (the Thanos Query URL, e.g. https://thanos-query.open-cluster-management-observability.svc:9090)");
        }

        var tokenFile = reader.ExistingFile(V.ThanosQueryTokenFile);
        var token = reader.Text(V.ThanosQueryToken);
        if (token is not null && tokenFile is not null)
        {
            reader.Fail(V.ThanosQueryToken,
                $"{BridgeVariables.Redacted} is set together with THANOS_QUERY_TOKEN_FILE={VariableReader.Quote(tokenFile)}; set one");
        }

        var caFile = reader.ExistingFile(V.ThanosQueryCaFile);
        var insecure = reader.Bool(V.ThanosQueryInsecureSkipVerify, defaultValue: false);
        if (insecure && caFile is not null)
        {
            reader.Fail(V.ThanosQueryInsecureSkipVerify,
                $"true is set together with THANOS_QUERY_CA_FILE={VariableReader.Quote(caFile)}; the CA would be ignored: set one");
        }

        var timeout = reader.Int(V.QueryTimeout, 120, 10, 600);
        var retries = reader.Int(V.QueryRetries, 3, 0, 10);
        return new ThanosClientOptions
        {
            BaseUrl = url,
            BearerToken = token,
            BearerTokenFile = tokenFile,
            CaFile = caFile,
            InsecureSkipVerify = insecure,
            QueryTimeout = TimeSpan.FromSeconds(timeout),
            MaxRetries = retries,
        };
    }
}
