namespace Cluster.Shared.Configuration;

/// <summary>The public address of the front end, e.g. http://0.0.0.0:8080.</summary>
public sealed record ListenAddress(string Url, ListenHost Host, System.Net.IPAddress? Address, int Port)
{
    public override string ToString() => Url;
}
