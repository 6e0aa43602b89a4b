using ThanosBridge.Adapters.Koku;
using V = ThanosBridge.Configuration.BridgeVariables;

namespace ThanosBridge.Configuration;

/// <summary>Reads koku's database variables: DATABASE_SERVICE_HOST, DATABASE_SERVICE_PORT, DATABASE_NAME, DATABASE_USER and DATABASE_PASSWORD.</summary>
internal static class DatabaseSettingsReader
{
    public static KokuDatabaseOptions? Read(VariableReader reader)
    {
        var host = reader.Text(V.DatabaseHost);
        var port = reader.Int(V.DatabasePort, 5432, 1, 65535);
        var name = reader.Text(V.DatabaseName);
        var user = reader.Text(V.DatabaseUser);
        var password = reader.Text(V.DatabasePassword);
        if (host is null)
        {
            var others = reader.SetAmong(V.DatabasePort, V.DatabaseName, V.DatabaseUser, V.DatabasePassword);
            if (others.Count > 0)
            {
                reader.Fail(V.DatabaseHost,
                    $"not set, but {VariableReader.Listing(others)}; set all of DATABASE_SERVICE_HOST, DATABASE_NAME, DATABASE_USER and DATABASE_PASSWORD, or none");
            }

            return null;
        }

        reader.RequireWith(V.DatabaseHost, V.DatabaseName, V.DatabaseUser, V.DatabasePassword);
        return name is null || user is null || password is null
            ? null
            : new KokuDatabaseOptions { Host = host, Port = port, Database = name, Username = user, Password = password };
    }
}
