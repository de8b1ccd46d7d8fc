namespace Cluster.Shared.Configuration;

/// <summary>How clients reach the workers ("frontEnd" in supervisor.json).</summary>
public enum FrontEndMode
{
    Proxy,
    SharedSocket,
}
