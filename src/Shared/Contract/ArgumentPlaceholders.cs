namespace Cluster.Shared.Contract;

/// <summary>
/// <c>{port}</c> and <c>{id}</c> in <c>worker.args</c> and <c>worker.env</c> values are replaced with the worker's
/// port and id, so programs that take their port as an argument (<c>python3 -m http.server {port}</c>) work unchanged.
/// </summary>
public static class ArgumentPlaceholders
{
    public const string Port = "{port}";
    public const string Id = "{id}";

    public static string Expand(string value, int port, int workerId) =>
        value.Replace(Port, port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
             .Replace(Id, workerId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
