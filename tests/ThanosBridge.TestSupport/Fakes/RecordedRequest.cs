namespace ThanosBridge.TestSupport.Fakes;

/// <summary>A request as <see cref="FakeThanosServer"/> received it (multi-valued fields joined with ',').</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Form,
    IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The API parameters wherever they were sent: the form for a POST, the query string otherwise.</summary>
    public IReadOnlyDictionary<string, string> Parameters => Form.Count > 0 ? Form : Query;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
