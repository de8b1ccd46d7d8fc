namespace Cluster.TestSupport;

/// <summary>
/// Writes a supervisor config for a test, and checks on the way that supervisor.schema.json and `supervisor check` give
/// it the same verdict: so every config the functional tests write is also a case of that agreement.
/// </summary>
public static class ConfigFiles
{
    public static void Write(string path, string text)
    {
        File.WriteAllText(path, text);
        ConfigVerdicts.AssertAgree(path);
    }

    public static async Task WriteAsync(string path, string text)
    {
        await File.WriteAllTextAsync(path, text);
        ConfigVerdicts.AssertAgree(path);
    }
}
