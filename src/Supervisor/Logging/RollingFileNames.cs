using System.Globalization;
using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// The names of one log's files, as Serilog's rolling file sink named them (so existing logs carry on): the period
/// after a dash and the sequence after an underscore, "supervisor-20261121.log", "supervisor-20261121_001.log"; with no
/// period ("never"), "supervisor.log", "supervisor_001.log".
/// </summary>
internal sealed class RollingFileNames
{
    private readonly LogRollingInterval _interval;
    private readonly string _prefix;
    private readonly string _extension;
    private readonly string _periodFormat;

    public RollingFileNames(string path, LogRollingInterval interval)
    {
        _interval = interval;
        var rolled = RolledPath(path, interval);
        Folder = Path.GetDirectoryName(rolled)!;
        _prefix = Path.GetFileNameWithoutExtension(rolled);
        _extension = Path.GetExtension(rolled);
        _periodFormat = interval switch
        {
            LogRollingInterval.Year => "yyyy",
            LogRollingInterval.Month => "yyyyMM",
            LogRollingInterval.Day => "yyyyMMdd",
            LogRollingInterval.Hour => "yyyyMMddHH",
            LogRollingInterval.Minute => "yyyyMMddHHmm",
            _ => string.Empty,
        };
    }

    public string Folder { get; }

    /// <summary>
    /// With a period, a dash keeps the name readable: "supervisor-20261121.log" rather than "supervisor20261121.log",
    /// and "worker-1-20261121.log" rather than "worker-120261121.log".
    /// </summary>
    public static string RolledPath(string path, LogRollingInterval interval)
    {
        if (interval == LogRollingInterval.Never)
        {
            return path;
        }

        var name = Path.GetFileNameWithoutExtension(path);
        return name.Length == 0 || name[^1] is '-' or '_' or '.'
            ? path
            : Path.Combine(Path.GetDirectoryName(path)!, name + "-" + Path.GetExtension(path));
    }

    /// <summary>The start of the period <paramref name="now"/> falls in (local time); one period for "never".</summary>
    public DateTime PeriodOf(DateTime now) => _interval switch
    {
        LogRollingInterval.Year => new DateTime(now.Year, 1, 1, 0, 0, 0, now.Kind),
        LogRollingInterval.Month => new DateTime(now.Year, now.Month, 1, 0, 0, 0, now.Kind),
        LogRollingInterval.Day => now.Date,
        LogRollingInterval.Hour => now.Date.AddHours(now.Hour),
        LogRollingInterval.Minute => now.Date.AddHours(now.Hour).AddMinutes(now.Minute),
        _ => DateTime.MinValue,
    };

    public string PathFor(DateTime period, int? sequence) => Path.Combine(
        Folder,
        _prefix
            + (_periodFormat.Length == 0 ? string.Empty : period.ToString(_periodFormat, CultureInfo.InvariantCulture))
            + (sequence is int n ? "_" + n.ToString("000", CultureInfo.InvariantCulture) : string.Empty)
            + _extension);

    /// <summary>The period and sequence of a file name of this log, or null for any other name.</summary>
    public (DateTime Period, int? Sequence)? Parse(string fileName)
    {
        if (!fileName.StartsWith(_prefix, StringComparison.Ordinal) || !fileName.EndsWith(_extension, StringComparison.Ordinal)
            || fileName.Length < _prefix.Length + _extension.Length + _periodFormat.Length)
        {
            return null;
        }

        var middle = fileName[_prefix.Length..^_extension.Length];
        var period = DateTime.MinValue;
        if (_periodFormat.Length > 0 && !DateTime.TryParseExact(middle[.._periodFormat.Length], _periodFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out period))
        {
            return null;
        }

        var rest = middle[_periodFormat.Length..];
        if (rest.Length == 0)
        {
            return (period, null);
        }

        return rest.Length >= 4 && rest[0] == '_' && int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? (period, sequence)
            : null;
    }

    /// <summary>Every file of this log in its folder (links included: they are found to be refused or pruned), newest first.</summary>
    public IReadOnlyList<(string Path, DateTime Period, int? Sequence)> Existing()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        return Directory.EnumerateFileSystemEntries(Folder)
            .Select(path => (Path: path, Name: Parse(Path.GetFileName(path))))
            .Where(f => f.Name is not null)
            .Select(f => (f.Path, f.Name!.Value.Period, f.Name.Value.Sequence))
            .OrderByDescending(f => f.Period)
            .ThenByDescending(f => f.Sequence ?? -1)
            .ToList();
    }
}
