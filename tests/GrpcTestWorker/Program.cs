// A gRPC worker for the supervisor's functional tests: HTTP/2 without TLS (prior knowledge) on 127.0.0.1:$PORT, the
// Echo service of Protos/echo.proto, and GET /healthz (also over HTTP/2) for the readiness and health checks, each
// logged on stdout.
using System.Globalization;
using Cluster.GrpcTestWorker;
using Microsoft.AspNetCore.Server.Kestrel.Core;

var port = int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "5000", CultureInfo.InvariantCulture);
var id = int.Parse(Environment.GetEnvironmentVariable("WORKER_ID") ?? "0", CultureInfo.InvariantCulture);

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
builder.Services.AddSingleton(new WorkerIdentity(id, Environment.ProcessId));
builder.Services.AddGrpc();

var app = builder.Build();
app.MapGrpcService<EchoService>();
app.MapGet("/healthz", (HttpRequest request) =>
{
    // One line per check, so a test can wait for the supervisor's health checks to have been answered.
    Console.WriteLine($"grpc test worker {id}: GET /healthz over {request.Protocol}");
    return $"ok over {request.Protocol}";
});

Console.WriteLine($"grpc test worker {id} listening on 127.0.0.1:{port} (HTTP/2 only, pid {Environment.ProcessId})");
await app.RunAsync();
