using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Cluster.Supervisor.FrontEnd.Routing;

/// <summary>
/// Endpoint routing's host matching builds its decision tree so that a request on the branch of a shorter wildcard
/// (<c>*.example.com</c>) also finds the endpoints of a longer one below it (<c>*.shop.example.com</c>), and the
/// longer one's lower order then wins for <c>blog.example.com</c>, which it does not match (AppRoutingTests' blog.example.com case fails without this).
/// This policy, run by the same matcher after the tree, takes out the candidates whose leading-wildcard host the
/// request's host does not end with. It decides nothing else: exact hosts, ports and case are the library's.
/// </summary>
internal sealed class WildcardHostCheck : MatcherPolicy, IEndpointSelectorPolicy
{
    /// <summary>After the host policy's own pass (-100).</summary>
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<IHostMetadata>()?.Hosts.Any(IsWildcard) == true);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var host = httpContext.Request.Host.Host;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i)
                && candidates[i].Endpoint.Metadata.GetMetadata<IHostMetadata>() is { } metadata
                && metadata.Hosts.Count > 0
                && metadata.Hosts.All(IsWildcard)
                && !metadata.Hosts.Any(wildcard => host.EndsWith(wildcard.AsSpan(1), StringComparison.OrdinalIgnoreCase)))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }

    private static bool IsWildcard(string host) => host.StartsWith("*.", StringComparison.Ordinal);
}
