using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd;
using Cluster.Supervisor.Metrics;
using Microsoft.AspNetCore.Http;

namespace Cluster.Supervisor.Tests.FrontEnd;

/// <summary>The redirect's Location (host without the http port, the https port unless 443, path, query) and what it leaves alone; HSTS only over HTTPS.</summary>
public sealed class HttpsRedirectTests
{
    [TestCase(443, "example.test:8080", "/users/7", "?a=1&b=two", "https://example.test/users/7?a=1&b=two")]
    [TestCase(8443, "example.test:8080", "/users/7", "?a=1", "https://example.test:8443/users/7?a=1")]
    [TestCase(8443, "example.test", "/", "", "https://example.test:8443/")]
    [TestCase(443, "[::1]:8080", "/x", "", "https://[::1]/x")]
    [TestCase(443, "example.test", "/caf%C3%A9 menu", "", "https://example.test/caf%C3%A9%20menu")]
    public async Task A_cleartext_request_gets_a_308_to_the_same_host_path_and_query(int httpsPort, string host, string path, string query, string location)
    {
        var context = Request("GET", host, Uri.UnescapeDataString(path), query);
        var counters = new FrontEndCounters();

        var next = await Run(new HttpsRedirect(httpsPort, counters), context);

        Assert.That(next, Is.False);
        Assert.That(context.Response.StatusCode, Is.EqualTo(308));
        Assert.That(context.Response.Headers.Location.ToString(), Is.EqualTo(location));
        Assert.That(context.Response.ContentLength, Is.EqualTo(0));
        Assert.That(counters.AnsweredWith(3), Is.EqualTo(1), "counted as a 3xx");
    }

    [TestCase("POST")]
    [TestCase("PUT")]
    [TestCase("DELETE")]
    public async Task Every_method_is_redirected_with_308_which_keeps_the_method_and_body(string method)
    {
        var context = Request(method, "example.test", "/orders", string.Empty);

        await Run(new HttpsRedirect(443, new FrontEndCounters()), context);

        Assert.That(context.Response.StatusCode, Is.EqualTo(308));
    }

    [Test]
    public async Task Acme_challenges_https_and_h2c_requests_go_on_to_the_workers()
    {
        var redirect = new HttpsRedirect(443, new FrontEndCounters());
        var acme = Request("GET", "example.test", "/.well-known/acme-challenge/token123", string.Empty);
        var https = Request("GET", "example.test", "/", string.Empty);
        https.Request.IsHttps = true;
        var h2c = Request("POST", "10.0.0.5:50051", "/cluster.test.Echo/Hello", string.Empty);
        h2c.Request.Protocol = "HTTP/2";

        Assert.That(await Run(redirect, acme), Is.True);
        Assert.That(await Run(redirect, https), Is.True);
        Assert.That(await Run(redirect, h2c), Is.True);
        Assert.That(await Run(redirect, Request("GET", "example.test", "/.well-known/acme-challengeX", string.Empty)), Is.False, "only the challenge folder");
    }

    [Test]
    public async Task Without_a_host_there_is_nothing_to_redirect_to()
    {
        var context = Request("GET", string.Empty, "/", string.Empty);
        context.Request.Protocol = "HTTP/1.0";

        await Run(new HttpsRedirect(443, new FrontEndCounters()), context);

        Assert.That(context.Response.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task Hsts_is_added_to_https_answers_only()
    {
        var hsts = new StrictTransportSecurity(new HstsConfig { MaxAge = TimeSpan.FromDays(365), IncludeSubDomains = true, Preload = false });
        var https = Request("GET", "example.test", "/", string.Empty);
        https.Request.IsHttps = true;
        var http = Request("GET", "example.test", "/", string.Empty);
        var started = new StartableResponse();
        https.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>(started);

        await Run(hsts, https);
        await Run(hsts, http);
        await started.StartAsync();

        Assert.That(started.Headers.StrictTransportSecurity.ToString(), Is.EqualTo("max-age=31536000; includeSubDomains"));
        Assert.That(http.Response.Headers.StrictTransportSecurity.Count, Is.EqualTo(0));
    }

    private static DefaultHttpContext Request(string method, string host, string path, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Protocol = "HTTP/1.1";
        context.Request.Scheme = "http";
        if (host.Length > 0)
        {
            context.Request.Host = new HostString(host);
        }

        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<bool> Run(HttpsRedirect middleware, HttpContext context)
    {
        var next = false;
        await middleware.InvokeAsync(context, () => { next = true; return Task.CompletedTask; });
        return next;
    }

    private static async Task<bool> Run(StrictTransportSecurity middleware, HttpContext context)
    {
        var next = false;
        await middleware.InvokeAsync(context, () => { next = true; return Task.CompletedTask; });
        return next;
    }

    /// <summary>A response feature that runs its OnStarting callbacks when the test says the answer starts.</summary>
    private sealed class StartableResponse : Microsoft.AspNetCore.Http.Features.HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _starting = [];

        public override void OnStarting(Func<object, Task> callback, object state) => _starting.Add((callback, state));

        public async Task StartAsync()
        {
            foreach (var (callback, state) in _starting)
            {
                await callback(state);
            }
        }
    }
}
