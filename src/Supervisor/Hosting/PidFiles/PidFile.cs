using System.Text.Json;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Hosting.PidFiles;

/// <summary>Keeps the pid file current: rewritten (atomically) whenever the set of running workers changes.</summary>
internal sealed class PidFile(string path, string configFile) : IPidFile
{
    private readonly Dictionary<int, long> _startTimes = [];

    public string Path => path;

    /// <summary>Creates the folder (mode 0700 when new) and writes the supervisor's own entry.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written.</exception>
    public void Create()
    {
        var folder = System.IO.Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Record([]);
    }

    public void Record(IReadOnlyList<WorkerEndpoint> running)
    {
        var workers = running
            .Select(w => new RecordedWorker(w.WorkerId, w.Pid, StartTime(w.Pid)))
            .Where(w => w.StartTime != 0)
            .ToList();
        var self = new RecordedProcess(Environment.ProcessId, StartTime(Environment.ProcessId));
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new PidFileContent(self, configFile, workers), PidFileJson.Default.PidFileContent));
        File.Move(temporary, path, overwrite: true);
        foreach (var gone in _startTimes.Keys.Except(running.Select(w => w.Pid)).Where(pid => pid != Environment.ProcessId).ToList())
        {
            _startTimes.Remove(gone);
        }
    }

    /// <summary>After a clean stop nothing is left to find.</summary>
    public void Delete() => File.Delete(path);

    public static PidFileContent? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), PidFileJson.Default.PidFileContent);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>True when PID is running and is the very process that was recorded (same start time).</summary>
    public static bool IsSameProcess(int pid, long startTime) => ProcStat.Read(pid) is { IsAlive: true } stat && stat.StartTime == startTime;

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
