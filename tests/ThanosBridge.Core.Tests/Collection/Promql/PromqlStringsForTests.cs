using ThanosBridge.Core.Collection.Promql;

namespace ThanosBridge.Core.Tests.Collection.Promql;

internal static class PromqlStringsForTests
{
    /// <summary>How messages show a value (escaped, truncated): the form tests look for.</summary>
    public static string Display(string value) => PromqlStrings.ForDisplay(value);
}
