namespace ThanosBridge.Configuration;

/// <summary>
/// One configuration problem. <see cref="Exception.Message"/> is a single line that names the variable, the problem
/// and the rejected value (secrets shown as <c>&lt;redacted&gt;</c>), e.g.
/// <c>THANOS_BRIDGE_STEP_SECONDS: 7 does not divide 3600</c>.
/// </summary>
public sealed class ConfigurationException : Exception
{
    private IReadOnlyList<ConfigurationException>? allProblems;

    public ConfigurationException()
        : this("configuration is invalid")
    {
    }

    public ConfigurationException(string message)
        : this(variable: "", message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Variable = "";
    }

    /// <param name="variable">The environment variable at fault.</param>
    /// <param name="problem">What is wrong, starting with the rejected value; the variable name is prefixed.</param>
    public ConfigurationException(string variable, string problem)
        : base(variable.Length == 0 ? problem : $"{variable}: {problem}")
    {
        Variable = variable;
    }

    /// <summary>The environment variable at fault (empty when the problem is not about one variable).</summary>
    public string Variable { get; }

    /// <summary>
    /// Every problem the loader found, in the order of docs/configuration.md; this exception is the first. Print them
    /// all (one line each) so that one restart fixes everything.
    /// </summary>
    public IReadOnlyList<ConfigurationException> AllProblems
    {
        get => allProblems ?? [this];
        internal set => allProblems = value;
    }
}
