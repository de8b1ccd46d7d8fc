namespace Cluster.Shared.Configuration;

public enum LogFileFormat
{
    Json,
    Text,
}
