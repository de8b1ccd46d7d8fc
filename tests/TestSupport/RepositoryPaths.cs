using System.Reflection;

namespace Cluster.TestSupport;

/// <summary>Where the repository and the built binaries of the current build configuration are.</summary>
public static class RepositoryPaths
{
    private static readonly Assembly ThisAssembly = typeof(RepositoryPaths).Assembly;

    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string Configuration { get; } = Metadata("BuildConfiguration");

    public static string SupervisorDll => Built("src/Supervisor", "supervisor.dll");

    public static string SampleWorkerDll => Built("src/Worker", "Worker.dll");

    public static string TestWorkerDll => Built("tests/TestWorker", "TestWorker.dll");

    public static string GrpcTestWorkerDll => Built("tests/GrpcTestWorker", "GrpcTestWorker.dll");

    public static string InRepository(string relativePath) => Path.Combine(Root, relativePath);

    private static string Built(string projectFolder, string fileName)
    {
        var path = Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0", fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Built binary not found: {path}. Build the solution first.", path);
        }

        return path;
    }

    private static string Metadata(string key) =>
        ThisAssembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is empty.");
}
