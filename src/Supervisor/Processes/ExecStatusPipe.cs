using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Cluster.Supervisor.Processes;

/// <summary>
/// How the exec shim tells the supervisor why a worker could not be started (the user it may not become, the working
/// directory that user may not enter, the program it may not run) instead of that being one more crash: a pipe whose
/// write end the shim inherits and marks close-on-exec. A successful exec closes it (end of file, nothing read); a
/// failure writes the reason first. The technique of every fork-exec that reports exec errors (.NET's own Process.Start
/// included), one step later: after the shim's setuid, where the worker's own permissions apply.
/// </summary>
internal sealed partial class ExecStatusPipe : IDisposable
{
    private const int O_CLOEXEC = 0x80000;
    private const int F_SETFD = 2;

    private readonly AnonymousPipeClientStream _reader;
    private int _writeFd;

    private ExecStatusPipe(int readFd, int writeFd)
    {
        _reader = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(readFd, ownsHandle: true));
        _writeFd = writeFd;
    }

    /// <summary>The descriptor the shim is told to write to: inheritable until <see cref="CloseWriteEnd"/>.</summary>
    public int WriteFd => _writeFd;

    /// <summary>
    /// A pipe whose write end a child started now inherits. Only the spawn thread, which starts every child process
    /// of the supervisor one at a time, calls this: no other start can inherit it meanwhile.
    /// </summary>
    public static unsafe ExecStatusPipe Create()
    {
        int* fds = stackalloc int[2];
        if (Pipe2(fds, O_CLOEXEC) != 0)
        {
            throw new IOException($"cannot create a pipe for the worker's start: {Errno.Last()}");
        }

        // Only the write end is passed on; the read end stays close-on-exec.
        Fcntl(fds[1], F_SETFD, 0);
        return new ExecStatusPipe(fds[0], fds[1]);
    }

    /// <summary>The supervisor's copy, closed once the child has been started: then only the shim holds it.</summary>
    public void CloseWriteEnd()
    {
        // Once only, whoever comes first (the spawn thread, or the exit's disposal): a second close could hit a reused number.
        if (Interlocked.Exchange(ref _writeFd, -1) is var fd and >= 0)
        {
            Close(fd);
        }
    }

    /// <summary>What the shim reported (null: nothing, the exec went through), once the pipe is closed.</summary>
    public async Task<string?> ReadFailureAsync()
    {
        try
        {
            using var text = new StreamReader(_reader, Encoding.UTF8, leaveOpen: true);
            var failure = await text.ReadToEndAsync();
            return failure.Length == 0 ? null : failure.Trim();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Nothing to tell apart from a successful exec: the exit status is all there is.
            return null;
        }
    }

    public void Dispose()
    {
        CloseWriteEnd();
        _reader.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static unsafe partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
