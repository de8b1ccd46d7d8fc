using System.Text.Json.Serialization;

namespace Cluster.Supervisor.FrontEnd;

internal sealed record ProblemBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("status")] int Status);
