using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.FrontEnd.Tls;

internal static partial class TlsLog
{
    [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "TLS ({Origin}): serving certificate {Index}: {Certificate}, from {File}")]
    public static partial void Serving(ILogger logger, string origin, int index, string certificate, string file);

    [LoggerMessage(EventId = 221, Level = LogLevel.Error, Message = "TLS ({Origin}): refused the new certificate {Index}: {Problem}; still serving the one in use ({Certificate})")]
    public static partial void Refused(ILogger logger, string origin, int index, string problem, string certificate);

    [LoggerMessage(EventId = 222, Level = LogLevel.Error, Message = "TLS ({Origin}): certificates not reloaded: {Problem}; still serving the ones in use")]
    public static partial void NotReloaded(ILogger logger, string origin, string problem);

    [LoggerMessage(EventId = 223, Level = LogLevel.Warning, Message = "TLS: the certificate for {Names} (serial {Serial}) {Remaining}, on {NotAfter} UTC: renew it (certbot renews 30 days ahead; check `certbot renew --dry-run` and its timer)")]
    public static partial void ExpiresSoon(ILogger logger, string names, string serial, string remaining, string notAfter);

    [LoggerMessage(EventId = 224, Level = LogLevel.Error, Message = "TLS: the certificate for {Names} (serial {Serial}) {Remaining}, on {NotAfter} UTC: clients refuse it; renew it")]
    public static partial void Expired(ILogger logger, string names, string serial, string remaining, string notAfter);

    [LoggerMessage(EventId = 225, Level = LogLevel.Warning, Message = "TLS: {Warning}")]
    public static partial void FileWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 227, Level = LogLevel.Error, Message = "TLS: {What} failed; the certificates in use stay in use")]
    public static partial void Failed(ILogger logger, string what, Exception exception);

    [LoggerMessage(EventId = 226, Level = LogLevel.Information, Message = "TLS: the files of certificate {Index} changed on disk ({File}); loading them")]
    public static partial void FilesChanged(ILogger logger, int index, string file);
}
