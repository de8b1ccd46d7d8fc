using Grpc.Core;

namespace Cluster.GrpcTestWorker;

/// <summary>Answers with this worker's id and pid, so a test can tell which worker served a call.</summary>
internal sealed class EchoService(WorkerIdentity identity) : Echo.EchoBase
{
    public override Task<HelloReply> Hello(HelloRequest request, ServerCallContext context)
    {
        context.ResponseTrailers.Add("worker-pid", identity.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Task.FromResult(new HelloReply { Message = $"hello {request.Name}", WorkerId = identity.Id, Pid = identity.Pid });
    }

    public override async Task Count(CountRequest request, IServerStreamWriter<CountReply> responseStream, ServerCallContext context)
    {
        for (var number = 1; number <= request.Count; number++)
        {
            await responseStream.WriteAsync(new CountReply { Number = number, WorkerId = identity.Id, Pid = identity.Pid }, context.CancellationToken);
            if (request.DelayMs > 0 && number < request.Count)
            {
                await Task.Delay(request.DelayMs, context.CancellationToken);
            }
        }

        context.ResponseTrailers.Add("counted", request.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
