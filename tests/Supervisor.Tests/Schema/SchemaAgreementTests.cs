using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Tests.Configuration;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Schema;

/// <summary>
/// An editor with supervisor.schema.json flags exactly what `supervisor check` refuses: a corpus of configs, each with
/// its expected verdict, through both. It holds the disagreements the schema used to have (a range it did not check,
/// an enum spelt another way), every example config of the repository, and the configs the functional tests write
/// (those are checked as they are written, by TestSupport's ConfigFiles). What no schema can say (two values compared,
/// files on this machine) is its own list below, and each such error says which it is (<see cref="ConfigErrorKind"/>).
/// </summary>
public sealed class SchemaAgreementTests : ConfigTestBase
{
    private const string W = "\"worker\": { \"command\": \"server\" }";
    private const string Https = "\"listen\": [\"http://127.0.0.1:8080\", \"https://127.0.0.1:8443\"], \"tls\": { \"certificate\": \"fullchain.pem\", \"key\": \"privkey.pem\" }";
    private const string Shared = "\"frontEnd\": \"sharedSocket\"";

    /// <summary>(name, the config, whether it is valid).</summary>
    private static readonly (string Name, string Json, bool Valid)[] Corpus =
    [
        ("minimal", $$"""{ {{W}} }""", true),
        ("workers auto", $$"""{ "workers": "auto", {{W}} }""", true),
        ("workers at its maximum", $$"""{ "workers": 1024, {{W}} }""", true),
        ("workers written 4.0", $$"""{ "workers": 4.0, {{W}} }""", true),
        ("workers 0", $$"""{ "workers": 0, {{W}} }""", false),
        ("workers 1025", $$"""{ "workers": 1025, {{W}} }""", false),
        ("workers 2.5", $$"""{ "workers": 2.5, {{W}} }""", false),
        ("workers quoted", $$"""{ "workers": "4", {{W}} }""", false),
        ("a comma list of listeners", $$"""{ "listen": "http://0.0.0.0:8000, http://127.0.0.1:8001", {{W}} }""", true),
        ("listeners with h2c", $$"""{ "listen": ["http://0.0.0.0:80", { "url": "http://10.0.0.5:50051", "http2": true }, "http://[::1]:8080"], {{W}} }""", true),
        ("upper-case scheme and host", $$"""{ "listen": "HTTP://LocalHost:8080/", {{W}} }""", true),
        ("every interface", $$"""{ "listen": "http://*:80", {{W}} }""", true),
        ("a host name", $$"""{ "listen": "http://example.com:80", {{W}} }""", false),
        ("a short IPv4 form", $$"""{ "listen": "http://127.1:80", {{W}} }""", false),
        ("a port too large", $$"""{ "listen": "http://0.0.0.0:99999", {{W}} }""", false),
        ("a path", $$"""{ "listen": "http://0.0.0.0:80/api", {{W}} }""", false),
        ("ftp", $$"""{ "listen": "ftp://0.0.0.0:21", {{W}} }""", false),
        ("no listener", $$"""{ "listen": [], {{W}} }""", false),
        ("h2c on https", $$"""{ "listen": [{ "url": "https://0.0.0.0:443", "http2": true }], "tls": { "certificate": "fullchain.pem", "key": "privkey.pem" }, {{W}} }""", false),
        ("https with its certificate", $$"""{ {{Https}}, {{W}} }""", true),
        ("https, several certificates, redirect and HSTS preload", $$"""{ "listen": ["http://127.0.0.1:8080", "https://127.0.0.1:8443"], "tls": { "certificates": [{ "certificate": "fullchain.pem", "key": "privkey.pem" }] }, "redirectHttpToHttps": true, "hsts": { "maxAge": "730d", "includeSubDomains": true, "preload": true }, {{W}} }""", true),
        ("https without tls", $$"""{ "listen": ["http://127.0.0.1:8080", "https://127.0.0.1:8443"], {{W}} }""", false),
        ("https with tls null", $$"""{ "listen": "https://127.0.0.1:8443", "tls": null, {{W}} }""", false),
        ("tls without https", $$"""{ "tls": { "certificate": "fullchain.pem", "key": "privkey.pem" }, {{W}} }""", false),
        ("a redirect without https", $$"""{ "redirectHttpToHttps": true, {{W}} }""", false),
        ("a redirect with only h2c to redirect from", $$"""{ "listen": ["https://127.0.0.1:8443", { "url": "http://127.0.0.1:8080", "http2": true }], "tls": { "certificate": "fullchain.pem", "key": "privkey.pem" }, "redirectHttpToHttps": true, {{W}} }""", false),
        ("HSTS without https", $$"""{ "hsts": {}, {{W}} }""", false),
        ("HSTS preload without includeSubDomains", $$"""{ {{Https}}, "hsts": { "preload": true }, {{W}} }""", false),
        ("HSTS preload for less than a year", $$"""{ {{Https}}, "hsts": { "preload": true, "includeSubDomains": true, "maxAge": "300d" }, {{W}} }""", false),
        ("HSTS for more than two years", $$"""{ {{Https}}, "hsts": { "maxAge": "731d" }, {{W}} }""", false),
        ("tls both ways", $$"""{ "listen": "https://127.0.0.1:8443", "tls": { "certificate": "fullchain.pem", "key": "privkey.pem", "certificates": [{ "certificate": "fullchain.pem", "key": "privkey.pem" }] }, {{W}} }""", false),
        ("tls with neither", $$"""{ "listen": "https://127.0.0.1:8443", "tls": {}, {{W}} }""", false),
        ("health every 1ms", $$"""{ "health": { "path": "/healthz", "interval": "1ms" }, {{W}} }""", false),
        ("health every 100ms", $$"""{ "health": { "path": "/healthz", "interval": "100ms" }, {{W}} }""", true),
        ("health every 0.1s", $$"""{ "health": { "path": "/healthz", "interval": "0.1s" }, {{W}} }""", true),
        ("health every 0.0999s", $$"""{ "health": { "path": "/healthz", "interval": "0.0999s" }, {{W}} }""", false),
        ("health every 1.5m and a day at most", $$"""{ "health": { "interval": "1.5m", "timeout": "10m" }, "shutdownTimeout": "24h", {{W}} }""", true),
        ("a health path without a slash", $$"""{ "health": { "path": "healthz" }, {{W}} }""", false),
        ("readiness every minute, as 60000ms", $$"""{ "worker": { "command": "server", "readiness": { "interval": "60000ms", "timeout": "1ms" } } }""", true),
        ("readiness every 9ms", $$"""{ "worker": { "command": "server", "readiness": { "interval": "9ms" } } }""", false),
        ("readiness within half a millisecond", $$"""{ "worker": { "command": "server", "readiness": { "timeout": "0.5ms" } } }""", false),
        ("a duration without a unit", $$"""{ "shutdownTimeout": "30", {{W}} }""", false),
        ("a duration over a day", $$"""{ "shutdownTimeout": "1.0001d", {{W}} }""", false),
        ("headers within 0.01h", $$"""{ "limits": { "requestHeadersTimeout": "0.01h" }, {{W}} }""", true),
        ("headers within 61m", $$"""{ "limits": { "requestHeadersTimeout": "61m" }, {{W}} }""", false),
        ("the largest HTTP/2 frame, in bytes", $$"""{ "limits": { "http2MaxFrameSize": "16777215B", "http2HeaderTableSize": "0kb" }, {{W}} }""", true),
        ("an HTTP/2 frame of 16MB", $$"""{ "limits": { "http2MaxFrameSize": "16MB" }, {{W}} }""", false),
        ("an HTTP/2 frame of 8KB", $$"""{ "limits": { "http2MaxFrameSize": "8KB" }, {{W}} }""", false),
        ("no body limit", $$"""{ "limits": { "maxRequestBodySize": null, "maxConnections": 10000 }, {{W}} }""", true),
        ("a size without a unit", $$"""{ "limits": { "maxRequestBodySize": 1048576 }, {{W}} }""", false),
        ("too many headers allowed", $$"""{ "limits": { "maxRequestHeaderCount": 10001 }, {{W}} }""", false),
        ("roundRobin spelt RoundRobin", $$"""{ "proxy": { "loadBalancing": "RoundRobin" }, {{W}} }""", false),
        ("every front-end key", $$"""{ "proxy": { "loadBalancing": "powerOfTwoChoices", "retry": false, "requestTimeout": "20s", "forwardedHeaders": "append" }, "rateLimit": { "requests": 600, "window": "1m" }, "accessLog": { "enabled": true }, "loadBalancerHealth": { "path": "/_cluster/health", "listen": "http://127.0.0.1:8081", "drainDelay": "10m" }, {{W}} }""", true),
        ("a rate limit with its defaults", $$"""{ "rateLimit": {}, {{W}} }""", true),
        ("a rate limit of 0", $$"""{ "rateLimit": { "requests": 0 }, {{W}} }""", false),
        ("metrics on loopback addresses", $$"""{ "metrics": { "listen": "http://[::1]:9100" }, "loadBalancerHealth": { "listen": "http://localhost:9101" }, {{W}} }""", true),
        ("metrics on every interface", $$"""{ "metrics": { "listen": "http://0.0.0.0:9100" }, {{W}} }""", false),
        ("metrics over https", $$"""{ "metrics": { "listen": "https://127.0.0.1:9100" }, {{W}} }""", false),
        ("a log level alias", $$"""{ "log": { "level": "warn", "file": { "path": "logs/supervisor.log", "maxSize": null, "rollingInterval": "infinite" }, "workerFiles": "logs/" }, {{W}} }""", true),
        ("a log level in capitals", $$"""{ "log": { "level": "Debug" }, {{W}} }""", false),
        ("a log file that is a folder", $$"""{ "log": { "file": { "path": "logs/" } }, {{W}} }""", false),
        ("a log file of 512B", $$"""{ "log": { "file": { "maxSize": "512B" } }, {{W}} }""", false),
        ("worker files with {id} in a folder", $$"""{ "log": { "workerFiles": "logs/{id}/out.log" }, {{W}} }""", false),
        ("worker files without {id}", $$"""{ "log": { "workerFiles": "logs/worker.log" }, {{W}} }""", false),
        ("memory lines below 0", $$"""{ "log": { "memoryLines": -1 }, {{W}} }""", false),
        ("every lifecycle key", $$"""{ "$schema": "./supervisor.schema.json", "worker": { "command": "server", "args": ["--port", "{port}"], "env": { "ID": "{id}" }, "cwd": ".", "cpuAffinity": "auto", "stopTimeout": "1.5s", "drainTimeout": "5s" }, "restart": { "delay": "1s", "maxDelay": "1m", "multiplier": 3, "jitter": 0.5, "crashLoopAfter": 3, "maxRestarts": 10, "window": "10m", "noRestartExitCodes": [3, 4] }, "recycle": { "maxMemoryMb": 512, "maxRequests": 10000, "maxRequestsJitter": 500 }, "reload": { "confirmAfter": "0s", "keepOldWorkers": false } }""", true),
        ("a restart multiplier of 0.5", $$"""{ "restart": { "multiplier": 0.5 }, {{W}} }""", false),
        ("an exit code of 300", $$"""{ "restart": { "noRestartExitCodes": [3, 300] }, {{W}} }""", false),
        ("args as one string", $$"""{ "worker": { "command": "server", "args": "--port {port}" } }""", false),
        ("an argument not quoted", $$"""{ "worker": { "command": "server", "args": ["--port", 8080] } }""", false),
        ("an environment name with =", $$"""{ "worker": { "command": "server", "env": { "A=B": "x" } } }""", false),
        ("a blank command", """{ "worker": { "command": " " } }""", false),
        ("no worker", """{ "workers": 2 }""", false),
        ("a misspelt key", """{ "worker": { "comand": "server" } }""", false),
        ("an unknown top-level key", $$"""{ "instances": 4, {{W}} }""", false),
        ("a repeated key", $$"""{ "workers": 2, "workers": 3, {{W}} }""", false),
        ("not an object", "[1, 2]", false),
        ("not JSON", "{ \"workers\": 3, ", false),
        ("two readiness checks", """{ "worker": { "command": "server", "readiness": { "path": "/ready", "notify": true } } }""", false),
        ("readiness by notify", """{ "worker": { "command": "server", "protocol": "http2", "readiness": { "notify": true } } }""", true),
        ("accepting without a shared socket", """{ "worker": { "command": "server", "readiness": { "accepting": true } } }""", false),
        ("{fd} without a shared socket", """{ "worker": { "command": "server", "args": ["--bind", "fd://{fd}"] } }""", false),
        ("{fd} in env without a shared socket", """{ "worker": { "command": "server", "env": { "FD": "{fd}" } } }""", false),
        ("a shared socket", $$"""{ {{Shared}}, "listen": { "url": "http://127.0.0.1:8080", "http2": false }, "worker": { "command": "server", "args": ["--fd", "{fd}"], "protocol": "http1", "readiness": { "accepting": true } }, "accessLog": { "enabled": false }, "redirectHttpToHttps": false, "hsts": null, "tls": null, "proxy": {}, "recycle": { "maxMemoryMb": 512 }, "loadBalancerHealth": { "listen": "http://127.0.0.1:8081" } }""", true),
        ("a shared socket and proxy.retry", $$"""{ {{Shared}}, "proxy": { "retry": false }, {{W}} }""", false),
        ("a shared socket and limits", $$"""{ {{Shared}}, "limits": { "maxConnections": 10 }, {{W}} }""", false),
        ("a shared socket and a rate limit", $$"""{ {{Shared}}, "rateLimit": {}, {{W}} }""", false),
        ("a shared socket and the access log", $$"""{ {{Shared}}, "accessLog": { "enabled": true }, {{W}} }""", false),
        ("a shared socket and a health path", $$"""{ {{Shared}}, "loadBalancerHealth": { "path": "/health" }, {{W}} }""", false),
        ("a shared socket and maxRequests", $$"""{ {{Shared}}, "recycle": { "maxRequests": 1000 }, {{W}} }""", false),
        ("a shared socket and gRPC workers", $$"""{ {{Shared}}, "worker": { "command": "server", "protocol": "http2" } }""", false),
        ("a shared socket on two ports", $$"""{ {{Shared}}, "listen": ["http://127.0.0.1:8080", "http://127.0.0.1:8081"], {{W}} }""", false),
        ("a shared socket over https", $$"""{ {{Shared}}, {{Https}}, {{W}} }""", false),
        ("a shared socket with h2c", $$"""{ {{Shared}}, "listen": [{ "url": "http://127.0.0.1:8080", "http2": true }], {{W}} }""", false),
        ("a shared socket and HSTS", $$"""{ {{Shared}}, "hsts": {}, {{W}} }""", false),
        ("a shared socket and a redirect", $$"""{ {{Shared}}, "redirectHttpToHttps": true, {{W}} }""", false),
        ("a shared socket and Python's http.server", $$"""{ {{Shared}}, "worker": { "command": "server", "args": ["-m", "http.server", "{port}"] } }""", false),
        ("a front end spelt SharedSocket", $$"""{ "frontEnd": "SharedSocket", {{W}} }""", false),
        ("three apps", $$"""{ "apps": { "shop": { "hosts": ["shop.example.com", "*.shop.example.com"], "workers": 2, {{W}} }, "api": { "hosts": ["api.example.com"], "paths": ["/v1"], "stripPath": true, "proxy": { "loadBalancing": "leastRequests" }, {{W}}, "restart": { "delay": "1s" }, "reload": { "confirmAfter": "0s" } }, "site": { {{W}} } } }""", true),
        ("one app named default", $$"""{ "apps": { "default": { {{W}} } } }""", true),
        ("apps and the short form", $$"""{ "workers": 2, "apps": { "shop": { {{W}} } } }""", false),
        ("apps and a worker at the top", $$"""{ {{W}}, "apps": { "shop": { {{W}} } } }""", false),
        ("no app", """{ "apps": {} }""", false),
        ("an app without a worker", """{ "apps": { "shop": { "workers": 2 } } }""", false),
        ("an app name in capitals", $$"""{ "apps": { "Shop": { {{W}} } } }""", false),
        ("an app name of 33 characters", $$"""{ "apps": { "{{new string('a', 33)}}": { {{W}} } } }""", false),
        ("a host with a port", $$"""{ "apps": { "shop": { "hosts": ["shop.example.com:80"], {{W}} } } }""", false),
        ("a path with a slash at the end", $$"""{ "apps": { "api": { "paths": ["/api/"], {{W}} } } }""", false),
        ("stripPath without paths", $$"""{ "apps": { "api": { "stripPath": true, {{W}} } } }""", false),
        ("an app on its own listener", $$"""{ "apps": { "web": { {{W}} }, "admin": { "listen": "http://127.0.0.1:9000", "frontEnd": "proxy", {{W}} } } }""", true),
        ("an app on its own listener with hosts", $$"""{ "apps": { "admin": { "listen": "http://127.0.0.1:9000", "hosts": ["admin.example.com"], {{W}} } } }""", false),
        ("an app on its own https listener", $$"""{ {{Https}}, "apps": { "admin": { "listen": "https://127.0.0.1:9443", {{W}} } } }""", false),
        ("an app's front end without its listener", $$"""{ "apps": { "admin": { "frontEnd": "sharedSocket", {{W}} } } }""", false),
        ("an app on a shared socket of its own", $$"""{ "apps": { "web": { {{W}} }, "raw": { "listen": "http://127.0.0.1:9000", "frontEnd": "sharedSocket", "worker": { "command": "server", "args": ["--fd", "{fd}"], "readiness": { "accepting": true } } } } }""", true),
        ("an app on a shared socket of its own counting requests", $$"""{ "apps": { "raw": { "listen": "http://127.0.0.1:9000", "frontEnd": "sharedSocket", {{W}}, "recycle": { "maxRequests": 10 } } } }""", false),
        ("an app on a shared socket of its own on two ports", $$"""{ "apps": { "raw": { "listen": ["http://127.0.0.1:9000", "http://127.0.0.1:9001"], "frontEnd": "sharedSocket", {{W}} } } }""", false),
        ("{fd} for an app of the proxy", $$"""{ "apps": { "web": { "worker": { "command": "server", "args": ["{fd}"] } } } }""", false),
        ("an app's balancing with a shared socket at the top", $$"""{ {{Shared}}, "apps": { "web": { {{W}}, "proxy": { "loadBalancing": "leastRequests" } } } }""", false),
        ("one app with a shared socket at the top", $$"""{ {{Shared}}, "apps": { "web": { "worker": { "command": "server", "args": ["--fd", "{fd}"], "readiness": { "accepting": true } } } } }""", true),
        ("two apps with a shared socket at the top", $$"""{ {{Shared}}, "apps": { "shop": { "hosts": ["shop.example.com"], {{W}} }, "site": { {{W}} } } }""", false),
        ("an app's own listener with a shared socket at the top", $$"""{ {{Shared}}, "apps": { "web": { "listen": "http://127.0.0.1:9000", {{W}} } } }""", false),
        ("workers as a range", $$"""{ "workers": { "min": 0, "max": "auto", "spare": 2, "idleTimeout": "1m" }, "maxWorkers": 8, {{W}} }""", true),
        ("workers as an empty range", $$"""{ "workers": {}, {{W}} }""", true),
        ("a range with a negative minimum", $$"""{ "workers": { "min": -1 }, {{W}} }""", false),
        ("a range with a maximum of 0", $$"""{ "workers": { "max": 0 }, {{W}} }""", false),
        ("a range idle for half a second", $$"""{ "workers": { "idleTimeout": "0.5s" }, {{W}} }""", false),
        ("a range with an unknown key", $$"""{ "workers": { "minimum": 1 }, {{W}} }""", false),
        ("workers as an array", $$"""{ "workers": [1, 4], {{W}} }""", false),
        ("maxWorkers 0", $$"""{ "maxWorkers": 0, {{W}} }""", false),
        ("a queue and a cap per worker", $$"""{ "worker": { "command": "server", "maxConcurrency": 1 }, "queue": { "maxLength": 0, "timeout": "1s" } }""", true),
        ("a cap per worker of 0", """{ "worker": { "command": "server", "maxConcurrency": 0 } }""", false),
        ("an app's queue", $$"""{ "apps": { "shop": { "workers": { "min": 1, "max": 4 }, "worker": { "command": "server", "maxConcurrency": 2 }, "queue": { "maxLength": 5 } } } }""", true),
        ("a queue and the short form's apps", $$"""{ "queue": { "maxLength": 5 }, "apps": { "shop": { {{W}} } } }""", false),
        ("a shared socket and a queue", $$"""{ {{Shared}}, "queue": { "timeout": "1s" }, {{W}} }""", false),
        ("a shared socket and a cap per worker", $$"""{ {{Shared}}, "worker": { "command": "server", "maxConcurrency": 1 } }""", false),
        ("a shared socket and a range", $$"""{ {{Shared}}, "workers": { "min": 1, "max": 3 }, "worker": { "command": "server", "args": ["--fd", "{fd}"] } }""", true),
        ("an app's readiness checks two ways", $$"""{ "apps": { "web": { "worker": { "command": "server", "readiness": { "path": "/ready", "notify": true } } } } }""", false),
        ("an app with a rate limit of its own", $$"""{ "rateLimit": { "requests": 600 }, "apps": { "api": { "hosts": ["api.example.com"], "rateLimit": { "requests": 60, "window": "1m" }, {{W}} }, "site": { "rateLimit": null, {{W}} } } }""", true),
        ("an app's rate limit of 0", $$"""{ "apps": { "api": { "rateLimit": { "requests": 0 }, {{W}} } } }""", false),
        ("an app's rate limit with an unknown key", $$"""{ "apps": { "api": { "rateLimit": { "burst": 5 }, {{W}} } } }""", false),
        ("a rate limit for an app on a shared socket of its own", $$"""{ "apps": { "web": { {{W}} }, "raw": { "listen": "http://127.0.0.1:9000", "frontEnd": "sharedSocket", "worker": { "command": "server", "args": ["--fd", "{fd}"] }, "rateLimit": { "requests": 5 } } } }""", false),
        ("an app's rate limit with a shared socket at the top", $$"""{ {{Shared}}, "apps": { "web": { "worker": { "command": "server", "args": ["--fd", "{fd}"] }, "rateLimit": { "requests": 5 } } } }""", false),
        ("worker files without {app} for two apps", $$"""{ "log": { "workerFiles": "logs/worker-{id}.log" }, "apps": { "shop": { "hosts": ["shop.example.com"], {{W}} }, "site": { {{W}} } } }""", false),
        ("a worker files folder for two apps", $$"""{ "log": { "workerFiles": "logs/" }, "apps": { "shop": { "hosts": ["shop.example.com"], {{W}} }, "site": { {{W}} } } }""", false),
        ("worker files with {app} for two apps", $$"""{ "log": { "workerFiles": "logs/{app}-worker-{id}.log" }, "apps": { "shop": { "hosts": ["shop.example.com"], {{W}} }, "site": { {{W}} } } }""", true),
        ("worker files without {app} for one app", $$"""{ "log": { "workerFiles": "logs/worker-{id}.log" }, "apps": { "shop": { {{W}} } } }""", true),
        ("worker files with {app} in a folder", $$"""{ "log": { "workerFiles": "logs/{app}/worker-{id}.log" }, {{W}} }""", false),
        ("workers as another user, stopped with SIGQUIT, group signalled or not", """{ "worker": { "command": "server", "user": "nobody", "group": "nogroup", "stopSignal": "SIGQUIT", "killProcessGroup": false } }""", true),
        ("a user and group by number", """{ "worker": { "command": "server", "user": "65534", "group": "33" } }""", true),
        ("a group without a user", """{ "worker": { "command": "server", "group": "nogroup" } }""", false),
        ("a user name with a space", """{ "worker": { "command": "server", "user": "www data" } }""", false),
        ("a user as a JSON number", """{ "worker": { "command": "server", "user": 33 } }""", false),
        ("an empty group", """{ "worker": { "command": "server", "user": "nobody", "group": "" } }""", false),
        ("stopped with SIGKILL", """{ "worker": { "command": "server", "stopSignal": "SIGKILL" } }""", false),
        ("a stop signal without SIG", """{ "worker": { "command": "server", "stopSignal": "TERM" } }""", false),
        ("killProcessGroup quoted", """{ "worker": { "command": "server", "killProcessGroup": "true" } }""", false),
    ];

    /// <summary>Refused by the supervisor, and by no schema: the kind of each error says why.</summary>
    private static readonly (string Name, string Json, ConfigErrorKind Kind)[] BeyondTheSchema =
    [
        ("a maximum restart delay below the first", $$"""{ "restart": { "delay": "5s", "maxDelay": "1s" }, {{W}} }""", ConfigErrorKind.Relation),
        ("a restart threshold below the unhealthy one", $$"""{ "health": { "unhealthyThreshold": 3, "restartThreshold": 2 }, {{W}} }""", ConfigErrorKind.Relation),
        ("two listeners on one port", $$"""{ "listen": ["http://0.0.0.0:80", "http://127.0.0.1:80"], {{W}} }""", ConfigErrorKind.Relation),
        ("the health listener on the public port", $$"""{ "listen": "http://127.0.0.1:8080", "loadBalancerHealth": { "listen": "http://127.0.0.1:8080" }, {{W}} }""", ConfigErrorKind.Relation),
        ("metrics on the public port", $$"""{ "listen": "http://0.0.0.0:8080", "metrics": { "listen": "http://127.0.0.1:8080" }, {{W}} }""", ConfigErrorKind.Relation),
        ("a program not on PATH", """{ "worker": { "command": "no-such-program" } }""", ConfigErrorKind.Machine),
        ("a working folder that does not exist", """{ "worker": { "command": "server", "cwd": "nowhere" } }""", ConfigErrorKind.Machine),
        ("certificate files that do not exist", $$"""{ "listen": "https://127.0.0.1:8443", "tls": { "certificate": "missing.pem", "key": "missing.key" }, {{W}} }""", ConfigErrorKind.Machine),
        ("two apps with the same host", $$"""{ "apps": { "shop": { "hosts": ["shop.example.com"], {{W}} }, "store": { "hosts": ["SHOP.example.com"], {{W}} } } }""", ConfigErrorKind.Relation),
        ("two apps with the same path", $$"""{ "apps": { "api": { "paths": ["/api"], {{W}} }, "v2": { "paths": ["/api"], {{W}} } } }""", ConfigErrorKind.Relation),
        ("two apps without routes", $$"""{ "apps": { "site": { {{W}} }, "blog": { {{W}} } } }""", ConfigErrorKind.Relation),
        ("an app's listener on the public port", $$"""{ "listen": "http://127.0.0.1:8080", "apps": { "web": { {{W}} }, "admin": { "listen": "http://127.0.0.1:8080", {{W}} } } }""", ConfigErrorKind.Relation),
        ("an app's restart delays the wrong way round", $$"""{ "apps": { "web": { {{W}}, "restart": { "delay": "5s", "maxDelay": "1s" } } } }""", ConfigErrorKind.Relation),
        ("a range's minimum above its maximum", $$"""{ "workers": { "min": 5, "max": 4 }, {{W}} }""", ConfigErrorKind.Relation),
        ("a range's spare workers above its maximum", $$"""{ "workers": { "min": 1, "max": 2, "spare": 3 }, {{W}} }""", ConfigErrorKind.Relation),
        ("a range's minimum above this machine's CPUs", $$"""{ "workers": { "min": 7, "max": "auto" }, {{W}} }""", ConfigErrorKind.Machine),
        ("a machine-wide cap below the apps' minimums", $$"""{ "maxWorkers": 3, "apps": { "shop": { "hosts": ["shop.example.com"], "workers": { "min": 2, "max": 4 }, {{W}} }, "site": { "workers": 2, {{W}} } } }""", ConfigErrorKind.Relation),
        ("a user this machine does not have", """{ "worker": { "command": "server", "user": "ghost" } }""", ConfigErrorKind.Machine),
        ("a group this machine does not have", """{ "worker": { "command": "server", "user": "nobody", "group": "ghosts" } }""", ConfigErrorKind.Machine),
        ("a control socket path too long for Linux", $$"""{ "control": { "socket": "/tmp/{{new string('s', 120)}}.sock" }, {{W}} }""", ConfigErrorKind.Machine),
    ];

    private static readonly JsonDocumentOptions Jsonc = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    [SetUp]
    public void WriteCertificate()
    {
        using var ca = new TestCertificateAuthority();
        ca.WritePem(Path.Combine(Fixture.Folder, "fullchain.pem"), Path.Combine(Fixture.Folder, "privkey.pem"), ["localhost"]);
    }

    [Test]
    public void The_schema_and_check_agree_on_every_config_of_the_corpus()
    {
        var disagreements = new List<string>();
        foreach (var (name, json, valid) in Corpus)
        {
            var schema = ConfigVerdicts.SchemaErrors(json);
            var check = ConfigVerdicts.Check(json, Fixture.ConfigPath, Fixture.Environment).Errors;
            if ((schema.Count == 0) != valid || (check.Count == 0) != valid)
            {
                disagreements.Add($"{name} (expected {(valid ? "valid" : "invalid")}):\n  {json}\n  schema: {string.Join("; ", schema)}\n  check: {string.Join("; ", check)}");
            }
        }

        Assert.That(Corpus, Has.Length.GreaterThanOrEqualTo(90));
        Assert.That(Corpus.Count(c => c.Valid), Is.GreaterThanOrEqualTo(20), "valid configs too");
        Assert.That(disagreements, Is.Empty, string.Join("\n", disagreements));
    }

    [Test]
    public void What_no_schema_can_say_is_refused_by_check_alone_and_said_so()
    {
        foreach (var (name, json, kind) in BeyondTheSchema)
        {
            var errors = ConfigVerdicts.Check(json, Fixture.ConfigPath, Fixture.Environment).Errors;

            Assert.That(ConfigVerdicts.SchemaErrors(json), Is.Empty, name);
            Assert.That(errors.Select(e => e.Kind), Is.Not.Empty.And.All.EqualTo(kind), $"{name}: {string.Join("; ", errors)}");
        }
    }

    [Test]
    public void Every_example_config_of_the_repository_is_valid_by_both()
    {
        var examples = ExampleConfigs().ToList();

        Assert.That(examples.Select(e => Path.GetRelativePath(RepositoryPaths.Root, e)), Does.Contain("supervisor.json").And.Contain(Path.Combine("bench", "restart-latency.json")).And.Contain(Path.Combine("deploy", "systemd", "supervisor-https.json")));
        foreach (var example in examples)
        {
            var text = File.ReadAllText(example);
            Assert.That(ConfigVerdicts.SchemaErrors(text), Is.Empty, $"{example} against supervisor.schema.json");

            // Programs and certificates of a deployment are not on this machine: the only acceptable complaints.
            var errors = ConfigVerdicts.Check(text, example).Errors;
            Assert.That(errors.Where(e => e.Kind != ConfigErrorKind.Machine).Select(e => e.ToString()), Is.Empty, example);
        }
    }

    /// <summary>Every .json file in the repository whose root has a "worker" or an "apps" key: a supervisor config.</summary>
    private static IEnumerable<string> ExampleConfigs()
    {
        string[] skipped = ["bin", "obj", ".git", "node_modules", "results", "TestResults"];
        return Directory.EnumerateFiles(RepositoryPaths.Root, "*.json", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(RepositoryPaths.Root, f).Split(Path.DirectorySeparatorChar).Any(skipped.Contains))
            .Where(f =>
            {
                try
                {
                    return JsonNode.Parse(File.ReadAllText(f), documentOptions: Jsonc) is JsonObject root && (root.ContainsKey("worker") || root.ContainsKey("apps"));
                }
                catch (JsonException)
                {
                    return false;
                }
            });
    }
}
