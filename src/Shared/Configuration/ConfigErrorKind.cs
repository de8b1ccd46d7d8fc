namespace Cluster.Shared.Configuration;

/// <summary>Why an error is, or is not, one an editor flags with the JSON Schema too.</summary>
public enum ConfigErrorKind
{
    /// <summary>About the file alone: the schema states the same rule, so editors flag it too.</summary>
    Layout,

    /// <summary>About this machine: a program not on PATH, a missing folder or certificate, a socket path too long.</summary>
    Machine,

    /// <summary>Compares two values as no JSON Schema can: two durations, two thresholds, two ports.</summary>
    Relation,
}
