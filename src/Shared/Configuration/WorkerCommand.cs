namespace Cluster.Shared.Configuration;

/// <summary>worker.command as written ("dotnet", for messages) and the program it was found to be (absolute).</summary>
public sealed record WorkerCommand(string Written, string Path)
{
    public override string ToString() => Path;
}
