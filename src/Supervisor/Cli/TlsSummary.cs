using Cluster.Shared.Configuration;
using Cluster.Shared.Tls;

namespace Cluster.Supervisor.Cli;

/// <summary>What `check` says about HTTPS: each certificate (names, serial, expiry), the redirect and HSTS.</summary>
internal static class TlsSummary
{
    public static IEnumerable<string> Lines(SupervisorConfig config, DateTimeOffset now)
    {
        if (config.Tls is not { } tls)
        {
            yield break;
        }

        for (var i = 0; i < tls.Certificates.Count; i++)
        {
            var files = tls.Certificates[i];
            var result = PemCertificateLoader.Load(files, now);
            using var loaded = result.Certificate;
            var role = i == 0 ? "the default" : "by SNI";
            yield return loaded is null
                ? $"tls certificate {i}: {result.Problem}"
                : $"tls certificate {i} ({role}): {loaded.Describe(now)}, from {files.Certificate}{(loaded.ExpiresSoon(now) ? "; RENEW IT" : string.Empty)}";
        }

        if (config.RedirectHttpToHttps && config.FirstHttpsListener is { } https)
        {
            yield return $"http:// requests are redirected (308) to {https.Url}, except {HttpsRedirectPaths(config)}";
        }

        if (config.Hsts is { } hsts)
        {
            yield return $"HTTPS answers carry Strict-Transport-Security: {hsts.HeaderValue}";
        }
    }

    private static string HttpsRedirectPaths(SupervisorConfig config) =>
        config.LoadBalancerHealth.Path is { } health ? $"{FrontEnd.HttpsRedirect.AcmeChallengePrefix} and {health}" : FrontEnd.HttpsRedirect.AcmeChallengePrefix;
}
