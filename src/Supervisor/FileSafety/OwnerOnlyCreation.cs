using System.Runtime.InteropServices;

namespace Cluster.Supervisor.FileSafety;

/// <summary>
/// While in use, the process's umask is 0177: what is created meanwhile gets at most read and write for its owner. This
/// is how a Unix socket gets mode 0600 from bind(2) itself (which asks for 0777 less the umask): fchmod on a socket does not change the file bind made, and chmod by
/// path after the bind would follow a link swapped in between. The umask belongs to the whole process, so this is used
/// only where nothing else is being created or forked at the same moment: before the first worker starts (the control
/// socket), and on the control loop's thread, which starts every worker and so never forks during it (notify sockets).
/// </summary>
internal readonly partial struct OwnerOnlyCreation : IDisposable
{
    private readonly uint _previous;

    private OwnerOnlyCreation(uint previous) => _previous = previous;

    public static OwnerOnlyCreation Begin() => new(Umask(0b001_111_111));

    public void Dispose() => _ = Umask(_previous);

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);
}
