using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cluster.Worker.Tests.Infrastructure;

public static class HttpHelpers
{
    /// <summary>Posts exactly this text (no serialisation), with this Content-Type or none when null.</summary>
    public static Task<HttpResponseMessage> PostTextAsync(this HttpClient client, string path, string body, string? contentType = "application/json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        return client.PostAsync(path, content);
    }

    public static Task<HttpResponseMessage> PostUserAsync(this HttpClient client, string name, string email) =>
        client.PostTextAsync("users", JsonSerializer.Serialize(new { name, email }));

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new AssertionException($"response body is JSON null: {text}");
    }

    public static string? MediaType(this HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType;
}
