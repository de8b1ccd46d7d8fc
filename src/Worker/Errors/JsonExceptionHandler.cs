using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;

namespace Cluster.Worker.Errors;

/// <summary>
/// Turns exceptions that escape an endpoint into JSON responses. Returning true also tells the middleware not to
/// log the exception itself (.NET 10 behaviour), so each failure is logged exactly once, here, with its trace id.
/// </summary>
internal sealed class JsonExceptionHandler(ILogger<JsonExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>nginx's code for "client closed request"; nobody reads it, but it keeps access metrics honest.</summary>
    private const int ClientClosedRequest = 499;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var request = httpContext.Request;
        var path = request.Path.ToString();

        if (exception is BadHttpRequestException badRequest)
        {
            // Kestrel's own rejections (body over the size limit, truncated body): the client's fault, not an error.
            logger.Rejected(request.Method, path, badRequest.StatusCode, badRequest.Message);
            httpContext.Response.StatusCode = badRequest.StatusCode;
            await httpContext.Response.WriteAsJsonAsync(new ErrorBody(badRequest.Message), cancellationToken);
            return true;
        }

        if ((exception is OperationCanceledException or IOException) && httpContext.RequestAborted.IsCancellationRequested)
        {
            logger.ClientGone(request.Method, path);
            httpContext.Response.StatusCode = ClientClosedRequest;
            return true;
        }

        var traceId = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        logger.Unhandled(exception, request.Method, path, traceId);
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        await httpContext.Response.WriteAsJsonAsync(new ErrorBody("Internal server error") { TraceId = traceId }, cancellationToken);
        return true;
    }
}
