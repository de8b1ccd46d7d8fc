using System.Diagnostics;
using Cluster.Supervisor.FrontEnd.Queueing;
using Cluster.Supervisor.FrontEnd.Routing;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// The end of the request path: forward to a worker with YARP's forwarder, and when that fails before any response
/// byte went out, retry a safe request once on another worker (YARP's forwarder has no retry, dotnet/yarp#56). A worker that
/// refuses the connection leaves the rotation at once and the control loop is told. Every answer is counted by status
/// class and latency, under its app (a few Interlocked increments, no lock). Each request passes the <see cref="RequestGate"/> a stop
/// drains by, and one that asks for an upgrade is watched (<see cref="UpgradeWatch"/>) so that, once upgraded, it is
/// counted as an upgraded connection rather than a request in flight. The worker comes from the app's
/// <see cref="RequestQueue"/>: at once when one is below worker.maxConcurrency (always, without a cap) and nobody waits
/// before the request; otherwise after a wait in order, or a refusal (<see cref="QueueAnswers"/>).
/// </summary>
internal sealed class ProxyHandler(
    RequestGate gate,
    IHttpForwarder forwarder,
    HttpMessageInvoker client,
    ILogger logger,
    Action<WorkerDestination, string> onUnreachable,
    FrontEndCounters counters,
    bool recordWorker)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>nginx's "client closed request": a request whose client went away before its answer.</summary>
    private const int ClientClosedRequest = 499;

    /// <summary>Forwards the request to a ready worker of <paramref name="app"/>, the app its route matched.</summary>
    public async Task InvokeAsync(HttpContext context, AppTarget app)
    {
        var started = Stopwatch.GetTimestamp();
        if (!gate.TryEnter())
        {
            // The front end has drained and the workers are being told to stop: this one came in too late for them.
            await ProblemResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "stopping", "The supervisor is stopping; try again shortly.", RetryAfter);
            counters.Answered(context.Response.StatusCode, Stopwatch.GetTimestamp() - started, app.Slots);
            return;
        }

        var upgrade = UpgradeWatch.For(context, gate);
        try
        {
            var pool = app.Pool;
            var current = app.Settings;
            var queue = app.Queue;

            // A worker below worker.maxConcurrency, at once or after a wait in the app's queue, already counted in there.
            var admission = await queue.EnterAsync(context.RequestAborted);
            if (admission.Waited > TimeSpan.Zero)
            {
                app.QueueCounts.Waited(admission.Waited);
            }

            if (admission.Destination is not { } destination)
            {
                await RefuseAsync(context, app, admission, queue.Settings);
                return;
            }

            if (admission.Waited > TimeSpan.Zero && current.RequestStartHeader)
            {
                // X-Request-Start is when the request arrived, so that the app sees the time it spent in the queue.
                context.Features.Set(new RequestReceivedFeature(current.Time.GetUtcNow() - admission.Waited));
            }

            var error = await ForwardAsync(context, app, destination, current, upgrade);
            if (error == ForwarderError.None)
            {
                return;
            }

            // The retry takes another worker below the cap at once, or is not made: it never queues.
            if (current.Retry && CanRetry(context, error) && pool.TryTake(queue.Settings.MaxConcurrency, except: destination) is { } other)
            {
                counters.Retried();
                FrontEndLog.Retrying(logger, context.Request.Method, context.Request.Path, destination.WorkerId, other.WorkerId, error.ToString());
                context.Features.Set<IForwarderErrorFeature>(null);
                context.Response.Clear();
                if (current.RequestStartHeader && context.Features.Get<RequestReceivedFeature>() is null)
                {
                    // The retry keeps the time the request was received, not the time of its second attempt.
                    context.Features.Set(new RequestReceivedFeature(current.Time.GetUtcNow() - Stopwatch.GetElapsedTime(started)));
                }

                destination = other;
                error = await ForwardAsync(context, app, destination, current, upgrade);
                if (error == ForwarderError.None)
                {
                    return;
                }
            }

            await FailAsync(context, destination, error);
        }
        finally
        {
            gate.Leave(upgraded: upgrade?.Upgraded == true);
            counters.Answered(context.Response.StatusCode, Stopwatch.GetTimestamp() - started, app.Slots);
        }
    }

    /// <summary>The queue gave no worker: no worker ready (as without a queue), the queue full, the wait over, or the client gone.</summary>
    private async Task RefuseAsync(HttpContext context, AppTarget app, QueueAdmission admission, QueueSettings settings)
    {
        switch (admission.Outcome)
        {
            case QueueOutcome.NoWorker:
                counters.NoWorkerReady();
                FrontEndLog.NoReadyWorker(logger, context.Request.Method, context.Request.Path);
                break;
            case QueueOutcome.Full:
                app.QueueCounts.Full();
                FrontEndLog.QueueFull(logger, context.Request.Method, context.Request.Path, app.Name, settings.MaxLength);
                break;
            case QueueOutcome.TimedOut:
                app.QueueCounts.TimedOut();
                FrontEndLog.QueueTimedOut(logger, context.Request.Method, context.Request.Path, app.Name, HumanDuration.Format(admission.Waited));
                break;
        }

        await QueueAnswers.WriteAsync(context, admission.Outcome, settings);
    }

    /// <summary>GET, HEAD and OPTIONS without a body, failed before the worker answered, the client still there.</summary>
    /// <remarks>
    /// Whether there is a body is the server's own finding (Content-Length or chunked for HTTP/1.1; for HTTP/2, no
    /// END_STREAM on the request's headers, with or without a content-length), not a header check that HTTP/2 lacks.
    /// </remarks>
    private static bool CanRetry(HttpContext context, ForwarderError error) =>
        error is ForwarderError.Request or ForwarderError.RequestTimedOut &&
        !context.Response.HasStarted &&
        !context.RequestAborted.IsCancellationRequested &&
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method)) &&
        !(context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? context.Request.ContentLength > 0);

    /// <summary>
    /// Sends the request to <paramref name="destination"/>, which the queue (or the retry's <see cref="WorkerPool.TryTake"/>)
    /// has counted the request in already; its end is counted here, and frees the worker's place for the queue.
    /// </summary>
    private async ValueTask<ForwarderError> ForwardAsync(HttpContext context, AppTarget app, WorkerDestination destination, ProxySettings current, UpgradeWatch? upgrade)
    {
        if (recordWorker)
        {
            context.Items[AccessLogMiddleware.WorkerItem] = destination.WorkerId;
        }

        if (upgrade is not null)
        {
            upgrade.Traffic = destination.Traffic;
            upgrade.Queue = app.Queue;
        }

        app.Slots.SentTo(destination.Endpoint.WorkerId);
        ForwarderError error;
        try
        {
            error = await forwarder.SendAsync(context, destination.Prefix, client, current.RequestConfig, current.Transformer);
        }
        finally
        {
            if (upgrade?.Upgraded == true)
            {
                // Its place was freed (and handed on) when it was upgraded.
                destination.Traffic.EndUpgraded();
            }
            else
            {
                destination.Traffic.End();
                app.Queue.Drain();
            }
        }

        if (error == ForwarderError.None)
        {
            return error;
        }

        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        var refused = IsRefused(exception);
        counters.ProxyError(ProxyErrorKinds.Classify(error, refused));
        if (refused)
        {
            destination.MarkUnreachable();
            onUnreachable(destination, exception!.GetBaseException().Message);
        }

        return error;
    }

    private static bool IsRefused(Exception? exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };

    private async Task FailAsync(HttpContext context, WorkerDestination destination, ForwarderError error)
    {
        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        if (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled)
        {
            // The client went away; nobody is left to answer. The status is for the access log and the metrics only.
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = ClientClosedRequest;
            }

            return;
        }

        var tooLarge = exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge };
        var status = tooLarge ? StatusCodes.Status413PayloadTooLarge
            : error == ForwarderError.RequestTimedOut ? StatusCodes.Status504GatewayTimeout
            : context.Response.StatusCode >= 400 ? context.Response.StatusCode
            : StatusCodes.Status502BadGateway;
        if (!tooLarge)
        {
            FrontEndLog.ForwardingFailed(logger, status, context.Request.Method, context.Request.Path, destination.WorkerId, destination.Prefix, error.ToString(), exception?.GetBaseException().Message ?? "no detail");
        }

        if (context.Response.HasStarted)
        {
            // Part of the answer is already with the client: all that is left is to cut the connection.
            context.Abort();
            return;
        }

        var (code, detail) = status switch
        {
            StatusCodes.Status413PayloadTooLarge => ("request_too_large", "The request body is larger than limits.maxRequestBodySize."),
            StatusCodes.Status504GatewayTimeout => ("worker_timeout", "The worker did not answer in time."),
            _ => ("bad_gateway", "The worker failed before it answered this request."),
        };
        await ProblemResponses.WriteAsync(context, status, code, detail);
    }
}
