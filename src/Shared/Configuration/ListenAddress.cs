namespace Cluster.Shared.Configuration;

/// <summary>An address to listen on, e.g. http://0.0.0.0:8080 or https://[::]:443.</summary>
public sealed record ListenAddress(string Url, ListenHost Host, System.Net.IPAddress? Address, int Port, ListenScheme Scheme = ListenScheme.Http)
{
    public override string ToString() => Url;
}
