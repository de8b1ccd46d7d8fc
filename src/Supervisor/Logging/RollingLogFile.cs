using System.Text;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.FileSafety;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Formatting;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// A log file rolled by time and by size, with only the newest files kept (log.file, log.workerFiles), opened so that
/// no one else can redirect it: with O_NOFOLLOW (a symbolic link at the file's name is refused, never followed; nginx's
/// CVE-2016-1247 was a log opened through a link), only if it is a regular file with no other hard link, and, when new,
/// created with mode 0640 by open itself, in a folder made with mode 0750.
/// </summary>
/// <remarks>
/// Our own rather than Serilog.Sinks.File, which opens with File.Open: it follows links, creates files 0644, and its
/// only hook (FileLifecycleHooks.OnFileOpened) runs after the open, too late to refuse a link whose open alone creates
/// a file elsewhere, or blocks on a FIFO. File names, rolling and pruning are Serilog's, so existing logs carry on.
/// A file that cannot be opened is reported to the failure listener (stderr, and `start` refuses to go on), and the
/// events for it are dropped until the next period or <see cref="RetryAfter"/>.
/// </remarks>
internal sealed class RollingLogFile : ILogEventSink, IDisposable, ISetLoggingFailureListener
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    private static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly RollingFileNames _names;
    private readonly ITextFormatter _formatter;
    private readonly long? _maxBytes;
    private readonly int _retained;
    private readonly TimeProvider _time;
    private readonly Action<string>? _opened;
    private readonly StringWriter _text = new(System.Globalization.CultureInfo.InvariantCulture);
    private readonly Lock _sync = new();
    private ILoggingFailureListener _failures = SelfLog.FailureListener;
    private FileStream? _file;
    private long _length;
    private DateTime _period;
    private int? _sequence;
    private DateTimeOffset? _retryAt;

    public RollingLogFile(string path, LogFileConfig settings, ITextFormatter formatter, TimeProvider? time = null, Action<string>? opened = null)
    {
        _names = new RollingFileNames(path, settings.RollingInterval);
        _formatter = formatter;
        _maxBytes = settings.MaxSizeBytes;
        _retained = settings.RetainedFiles;
        _time = time ?? TimeProvider.System;
        _opened = opened;
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_sync)
        {
            var now = _time.GetLocalNow();
            var period = _names.PeriodOf(now.DateTime);
            if (_file is null || period != _period)
            {
                if (_retryAt is { } retryAt && now < retryAt && period == _period)
                {
                    return;
                }

                Open(now, period, sequence: null);
            }
            else if (_length >= _maxBytes)
            {
                // As Serilog: the event that crossed the limit was written whole; the next one starts the next file.
                Open(now, period, (_sequence ?? 0) + 1);
            }

            if (_file is null)
            {
                return;
            }

            _text.GetStringBuilder().Clear();
            _formatter.Format(logEvent, _text);
            var bytes = Utf8.GetBytes(_text.GetStringBuilder().ToString());
            try
            {
                _file.Write(bytes);
                _length += bytes.Length;
            }
            catch (IOException e)
            {
                _failures.OnLoggingFailed(this, LoggingFailureKind.Permanent, $"cannot write to {_file.Name}", [logEvent], e);
            }
        }
    }

    public void SetFailureListener(ILoggingFailureListener failureListener) => _failures = failureListener;

    public void Dispose()
    {
        lock (_sync)
        {
            _file?.Dispose();
            _file = null;
            _text.Dispose();
        }
    }

    /// <param name="sequence">The file's sequence number; null for the newest file of the period (or the first).</param>
    private void Open(DateTimeOffset now, DateTime period, int? sequence)
    {
        _file?.Dispose();
        _file = null;
        _period = period;
        sequence ??= _names.Existing().Where(f => f.Period == period).Select(f => f.Sequence).FirstOrDefault();
        var path = _names.PathFor(period, sequence);
        try
        {
            if (!Directory.Exists(_names.Folder))
            {
                Directory.CreateDirectory(_names.Folder, FolderMode);
            }

            var handle = NoFollowFile.OpenForAppend(path, FileMode);
            _file = new FileStream(handle, FileAccess.Write, bufferSize: 0);
            _length = _file.Length;
            _sequence = sequence;
            _retryAt = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _retryAt = now + RetryAfter;
            _failures.OnLoggingFailed(this, LoggingFailureKind.Permanent, $"cannot open {path}", null, e);
            return;
        }

        _opened?.Invoke(path);
        Prune(path);
    }

    /// <summary>Deletes all but the newest retained files (the current one counts); a link among them is removed, not followed.</summary>
    private void Prune(string current)
    {
        foreach (var (path, _, _) in _names.Existing().Where(f => f.Path != current).Skip(_retained - 1))
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _failures.OnLoggingFailed(this, LoggingFailureKind.Temporary, $"cannot delete the old log file {path}", null, e);
            }
        }
    }
}
