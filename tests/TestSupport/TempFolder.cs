namespace Cluster.TestSupport;

/// <summary>A fresh folder under the temp directory (<c>cluster-PURPOSE-XXXXXX</c>), deleted with its content on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string purpose) => Path = Directory.CreateTempSubdirectory($"cluster-{purpose}-").FullName;

    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Removed by the test itself.
        }
    }
}
