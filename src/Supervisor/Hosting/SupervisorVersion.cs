using System.Reflection;

namespace Cluster.Supervisor.Hosting;

/// <summary>This build's version and commit, as `supervisor --version` prints it (e.g. "1.4.0+3f2a9c1").</summary>
internal static class SupervisorVersion
{
    public static readonly string Current = typeof(SupervisorVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
