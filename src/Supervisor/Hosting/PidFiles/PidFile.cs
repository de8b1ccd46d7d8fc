using System.Text.Json;
using Cluster.Supervisor.FileSafety;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Hosting.PidFiles;

/// <summary>
/// Keeps the pid file current: rewritten whenever the set of running workers changes, atomically (a new file under a
/// temporary name, renamed over the old one: rename replaces a link at the path, it never writes through it). Mode 0600:
/// only the supervisor reads it. Its folder was checked at start (<see cref="RunTimeFolders"/>).
/// </summary>
/// <param name="owned">False for a supervisor taking over from another (an upgrade): the file is the old one's until <see cref="Claim"/>.</param>
internal sealed class PidFile(string path, string configFile, bool owned = true) : IPidFile
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly Dictionary<int, long> _startTimes = [];
    private IReadOnlyList<WorkerEndpoint> _running = [];
    private bool _owned = owned;

    public string Path => path;

    /// <summary>The temporary name each new version is written under before it replaces the pid file.</summary>
    public string TemporaryPath => path + ".tmp";

    /// <summary>Writes the supervisor's own entry.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written.</exception>
    public void Create() => Record([]);

    public void Record(IReadOnlyList<WorkerEndpoint> running)
    {
        _running = running;
        if (_owned)
        {
            Write(running);
        }
    }

    public void Release() => _owned = false;

    public void Claim()
    {
        _owned = true;
        Write(_running);
    }

    private void Write(IReadOnlyList<WorkerEndpoint> running)
    {
        var workers = running
            .Select(w => new RecordedWorker(w.WorkerId, w.Pid, StartTime(w.Pid), w.App))
            .Where(w => w.StartTime != 0)
            .ToList();
        var self = new RecordedProcess(Environment.ProcessId, StartTime(Environment.ProcessId));
        var content = JsonSerializer.SerializeToUtf8Bytes(new PidFileContent(self, configFile, workers), PidFileJson.Default.PidFileContent);
        using (var file = CreateTemporary())
        using (var stream = new FileStream(file, FileAccess.Write))
        {
            stream.Write(content);
        }

        File.Move(TemporaryPath, path, overwrite: true);
        foreach (var gone in _startTimes.Keys.Except(running.Select(w => w.Pid)).Where(pid => pid != Environment.ProcessId).ToList())
        {
            _startTimes.Remove(gone);
        }
    }

    /// <summary>
    /// After a clean stop nothing is left to find. A pid file handed over to a successor is the successor's: removed
    /// only if it still names this process (the successor's config put its own elsewhere).
    /// </summary>
    public void Delete()
    {
        if (_owned || Read(path).Content?.Supervisor.Pid == Environment.ProcessId)
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The pid file left at <paramref name="path"/>, or null when there is none or it cannot be trusted (with the reason):
    /// it must be a regular file (not a link) owned by the supervisor's own user; a file anyone else wrote could name any
    /// process for the supervisor to stop.
    /// </summary>
    public static (PidFileContent? Content, string? Distrust) Read(string path)
    {
        try
        {
            using var handle = NoFollowFile.OpenToRead(path);
            if (handle is null)
            {
                return (null, null);
            }

            var status = FileStatus.Of(handle, path);
            if (status.Kind != FileKind.Regular || status.Owner != Users.Current)
            {
                return (null, $"it is owned by {Users.Describe(status.Owner)}, not by {Users.Describe(Users.Current)}, or not a regular file");
            }

            using var stream = new FileStream(handle, FileAccess.Read);
            return (JsonSerializer.Deserialize(stream, PidFileJson.Default.PidFileContent), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, e.Message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>True when PID is running and is the very process that was recorded (same start time).</summary>
    public static bool IsSameProcess(int pid, long startTime) => ProcStat.Read(pid) is { IsAlive: true } stat && stat.StartTime == startTime;

    /// <summary>
    /// A new file at the temporary name (O_EXCL, O_NOFOLLOW, mode 0600 from the start). Whatever is there already (left
    /// by a crash, or a link someone planted) is removed first; removing a link removes the link, not its target.
    /// </summary>
    private Microsoft.Win32.SafeHandles.SafeFileHandle CreateTemporary()
    {
        try
        {
            return NoFollowFile.CreateNew(TemporaryPath, Mode);
        }
        catch (AlreadyExistsException)
        {
            File.Delete(TemporaryPath);
            return NoFollowFile.CreateNew(TemporaryPath, Mode);
        }
    }

    private long StartTime(int pid)
    {
        if (!_startTimes.TryGetValue(pid, out var startTime))
        {
            startTime = ProcStat.Read(pid)?.StartTime ?? 0;
            _startTimes[pid] = startTime;
        }

        return startTime;
    }
}
