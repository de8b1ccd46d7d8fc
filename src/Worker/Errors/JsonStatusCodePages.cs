using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace Cluster.Worker.Errors;

/// <summary>
/// Gives a JSON body to error responses that would otherwise be empty: unknown paths (404), wrong methods (405),
/// and anything else the framework answers with a bare status code.
/// </summary>
internal static class JsonStatusCodePages
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var body = status == StatusCodes.Status404NotFound
            ? new ErrorBody("Not found") { Path = (http.Request.PathBase + http.Request.Path).ToString() }
            : new ErrorBody(ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : $"HTTP {status}");
        return http.Response.WriteAsJsonAsync(body, http.RequestAborted);
    }
}
