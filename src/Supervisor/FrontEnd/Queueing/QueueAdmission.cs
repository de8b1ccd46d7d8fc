namespace Cluster.Supervisor.FrontEnd.Queueing;

/// <summary>What the queue gave a request: a worker (<see cref="Destination"/>, the request counted in there) or a refusal, and how long it waited.</summary>
internal readonly record struct QueueAdmission(QueueOutcome Outcome, WorkerDestination? Destination, TimeSpan Waited)
{
    public static QueueAdmission Admitted(WorkerDestination destination, TimeSpan waited) => new(QueueOutcome.Admitted, destination, waited);

    public static QueueAdmission Refused(QueueOutcome outcome, TimeSpan waited) => new(outcome, null, waited);
}
