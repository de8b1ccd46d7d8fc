namespace Cluster.Shared.Configuration;

public enum ForwardedHeadersMode
{
    Set,
    Append,
}
