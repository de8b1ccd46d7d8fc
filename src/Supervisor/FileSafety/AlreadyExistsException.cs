namespace Cluster.Supervisor.FileSafety;

/// <summary>An exclusive create (O_EXCL) found something at the path already: a file, a link, anything.</summary>
internal sealed class AlreadyExistsException(string path) : IOException($"{path} exists already")
{
    public string Path { get; } = path;
}
