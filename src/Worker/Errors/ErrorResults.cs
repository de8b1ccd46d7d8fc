namespace Cluster.Worker.Errors;

internal static class ErrorResults
{
    public static IResult Json(int statusCode, string message) => Results.Json(new ErrorBody(message), statusCode: statusCode);
}
