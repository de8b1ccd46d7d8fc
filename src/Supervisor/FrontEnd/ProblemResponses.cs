using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>The short JSON bodies the front end answers with when it cannot get a worker's answer.</summary>
internal static class ProblemResponses
{
    public static Task WriteAsync(HttpContext context, int status, string error, string detail, TimeSpan? retryAfter = null)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (retryAfter is { } delay)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new ProblemBody(error, detail, status), FrontEndJson.Default.ProblemBody);
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }
}
