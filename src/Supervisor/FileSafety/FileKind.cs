namespace Cluster.Supervisor.FileSafety;

/// <summary>The kinds of file the supervisor tells apart (a FIFO, a device and the rest are "other").</summary>
internal enum FileKind
{
    Regular,
    Directory,
    SymbolicLink,
    Socket,
    Other,
}
