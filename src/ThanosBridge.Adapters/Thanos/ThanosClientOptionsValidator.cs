using Microsoft.Extensions.Options;

namespace ThanosBridge.Adapters.Thanos;

/// <summary>Single-field rules of <see cref="ThanosClientOptions"/> (DataAnnotations; the body is generated).</summary>
[OptionsValidator]
public sealed partial class ThanosClientOptionsValidator : IValidateOptions<ThanosClientOptions>;

/// <summary>Rules that span fields of <see cref="ThanosClientOptions"/>.</summary>
public sealed class ThanosClientOptionsCrossFieldValidator : IValidateOptions<ThanosClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ThanosClientOptions options)
    {
        var failures = new List<string>();
        if (options.BaseUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"{Key(nameof(options.BaseUrl))} must be an absolute http or https URL, was \"{url}\"");
        }

        if (!string.IsNullOrEmpty(options.BearerToken) && !string.IsNullOrEmpty(options.BearerTokenFile))
        {
            failures.Add($"{Key(nameof(options.BearerToken))} and {Key(nameof(options.BearerTokenFile))} are both set; set one");
        }

        if (!string.IsNullOrEmpty(options.CaFile) && options.InsecureSkipVerify)
        {
            failures.Add($"{Key(nameof(options.CaFile))} is set together with {Key(nameof(options.InsecureSkipVerify))}=true; " +
                "the CA would be ignored");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Validates with both validators and throws <see cref="OptionsValidationException"/> on failure.</summary>
    public static void ThrowIfInvalid(ThanosClientOptions options)
    {
        var failures = new List<string>();
        failures.AddRange(new ThanosClientOptionsValidator().Validate(null, options).Failures ?? []);
        failures.AddRange(new ThanosClientOptionsCrossFieldValidator().Validate(null, options).Failures ?? []);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ThanosClientOptions), failures);
        }
    }

    // The configuration key and its environment-variable form, so either can be searched for.
    private static string Key(string property) =>
        $"{ThanosClientOptions.SectionName}:{property} ({ThanosClientOptions.SectionName}__{property})";
}
