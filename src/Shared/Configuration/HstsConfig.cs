namespace Cluster.Shared.Configuration;

/// <summary>"hsts": Strict-Transport-Security on every HTTPS answer (see Layout/ConfigLayout.cs).</summary>
public sealed record HstsConfig
{
    public TimeSpan MaxAge { get; init; }
    public bool IncludeSubDomains { get; init; }
    public bool Preload { get; init; }

    /// <summary>The header's value, e.g. "max-age=31536000; includeSubDomains".</summary>
    public string HeaderValue =>
        $"max-age={((long)MaxAge.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)}{(IncludeSubDomains ? "; includeSubDomains" : string.Empty)}{(Preload ? "; preload" : string.Empty)}";
}
