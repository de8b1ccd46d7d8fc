namespace Cluster.TestSupport;

/// <summary>One answer of a <see cref="LoadGenerator"/>.</summary>
/// <param name="Started">When the request was sent (UTC).</param>
/// <param name="Status">The HTTP status; 0 without an answer.</param>
/// <param name="WorkerId">The worker's id from the body; -1 when not known.</param>
/// <param name="Error">Why there was no answer (the client's exception), or a failed call's status.</param>
/// <param name="BeforeReady">The test worker said it served this before its readiness check passed.</param>
public sealed record LoadAnswer(DateTime Started, int Status, int WorkerId, int Pid, string? Error, bool BeforeReady = false)
{
    public bool Failed => Error is not null || Status is < 200 or > 299;
}
