using Cluster.Shared.Configuration;
using Cluster.Supervisor.SharedSocket;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// One start of a worker: the program of <see cref="Config"/> as worker <see cref="WorkerId"/> of <see cref="App"/>,
/// listening on <see cref="Port"/>, or accepting from <see cref="Socket"/> (its front end's shared socket, given as fd 3),
/// told to notify <see cref="NotifySocket"/> when given.
/// </summary>
internal sealed record WorkerLaunch(string App, WorkerConfig Config, int WorkerId, int Port, string? NotifySocket = null, SharedListener? Socket = null);
