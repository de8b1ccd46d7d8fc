using System.Text.Json;

namespace Cluster.Worker.Users;

/// <summary>
/// Reads the body of <c>POST /users</c> by hand rather than through parameter binding, so that each way a body can be
/// wrong gets its own status and message instead of the framework's bare 400.
/// </summary>
internal static class CreateUserRequestReader
{
    /// <exception cref="BadHttpRequestException">415 for a non-JSON content type or an unknown charset; 400 for a
    /// body that is not a JSON object of strings; 413 (from Kestrel) for a body over the size limit.</exception>
    public static async Task<CreateUserRequest> ReadAsync(HttpRequest request, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new BadHttpRequestException("Content-Type must be application/json.", StatusCodes.Status415UnsupportedMediaType);
        }

        JsonElement body;
        try
        {
            body = await request.ReadFromJsonAsync<JsonElement>(options, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("Request body must be valid JSON.", StatusCodes.Status400BadRequest, e);
        }
        catch (InvalidOperationException e)
        {
            // With the media type already checked, what is left is a charset that .NET cannot decode.
            throw new BadHttpRequestException("Unsupported charset: send JSON in UTF-8.", StatusCodes.Status415UnsupportedMediaType, e);
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new BadHttpRequestException("Request body must be a JSON object.", StatusCodes.Status400BadRequest);
        }

        try
        {
            return body.Deserialize<CreateUserRequest>(options) ?? new CreateUserRequest(null, null);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException($"Invalid value at {e.Path}: name and email must be strings.", StatusCodes.Status400BadRequest, e);
        }
    }
}
