namespace Cluster.Shared.Configuration;

public enum LogFileFormat
{
    /// <summary>One JSON object per line, every structured property a field: for jq and log shippers.</summary>
    Json,

    /// <summary>The console's human-readable lines.</summary>
    Text,
}
