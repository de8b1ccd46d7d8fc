using System.Text.Json;

namespace Cluster.Shared.Configuration.Parsing;

/// <summary>The layout of supervisor.json: which keys exist where, their types, ranges and defaults.</summary>
internal static class SupervisorConfigReader
{
    public static readonly string[] RootKeys = ["$schema", "workers", "listen", "shutdownTimeout", "worker", "restart", "log"];
    public static readonly string[] WorkerKeys = ["command", "args", "env", "cwd", "readiness", "stopTimeout"];
    public static readonly string[] ReadinessKeys = ["path", "timeout", "interval"];
    public static readonly string[] RestartKeys = ["delay"];
    public static readonly string[] LogKeys = ["level"];

    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    private static readonly Dictionary<string, LogLevelSetting> LogLevels = new(StringComparer.Ordinal)
    {
        ["verbose"] = LogLevelSetting.Verbose,
        ["trace"] = LogLevelSetting.Verbose,
        ["debug"] = LogLevelSetting.Debug,
        ["information"] = LogLevelSetting.Information,
        ["info"] = LogLevelSetting.Information,
        ["warning"] = LogLevelSetting.Warning,
        ["warn"] = LogLevelSetting.Warning,
        ["error"] = LogLevelSetting.Error,
        ["fatal"] = LogLevelSetting.Fatal,
    };

    private static readonly string[] DocumentedLogLevels = ["verbose", "debug", "information", "warning", "error", "fatal"];

    public static SupervisorConfig? Read(ConfigReader reader, ConfigNode root, string configFile, ConfigEnvironment environment)
    {
        var configDirectory = Path.GetDirectoryName(configFile)!;
        if (root.Value?.ValueKind != JsonValueKind.Object)
        {
            // Anything else is not a supervisor.json at all; listing missing keys would only bury that.
            reader.Object(root, RootKeys);
            return null;
        }

        var keys = reader.Object(root, RootKeys);
        reader.String(keys["$schema"], "a string (the JSON Schema of this file, for editors)");

        var workers = ReadWorkerCount(reader, keys["workers"], environment);
        var listen = ReadListen(reader, keys["listen"]);
        var shutdownTimeout = reader.Duration(keys["shutdownTimeout"], ConfigDefaults.ShutdownTimeout, TimeSpan.Zero, OneDay);
        var worker = ReadWorker(reader, keys["worker"], configDirectory, environment);

        var restart = reader.Object(keys["restart"], RestartKeys);
        var restartDelay = reader.Duration(restart["delay"], ConfigDefaults.RestartDelay, TimeSpan.Zero, OneDay);

        var log = reader.Object(keys["log"], LogKeys);
        var level = reader.Enum(log["level"], ConfigDefaults.LogLevel, LogLevels, DocumentedLogLevels);

        if (reader.Errors.Count > 0 || workers is null || listen is null || worker is null)
        {
            return null;
        }

        return new SupervisorConfig
        {
            ConfigFile = configFile,
            Workers = workers,
            Listen = listen,
            ShutdownTimeout = shutdownTimeout,
            Worker = worker,
            Restart = new RestartConfig { Delay = restartDelay },
            Log = new LogConfig { Level = level },
        };
    }

    private static WorkerCount? ReadWorkerCount(ConfigReader reader, ConfigNode node, ConfigEnvironment environment)
    {
        if (node.IsMissing)
        {
            return Auto(environment);
        }

        var value = node.Value!.Value;
        if (value.ValueKind == JsonValueKind.String && value.GetString() == "auto")
        {
            return Auto(environment);
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count is >= 1 and <= WorkerCount.Max)
        {
            return new WorkerCount(count, IsAuto: false);
        }

        var hint = value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), out _) ? "; write the number without quotes" : string.Empty;
        reader.Error(node, $"expected \"auto\" or an integer from 1 to {WorkerCount.Max}, got {JsonDescriptions.Describe(value)}{hint}");
        return null;
    }

    private static WorkerCount Auto(ConfigEnvironment environment) =>
        new(Math.Clamp(environment.ProcessorCount, 1, WorkerCount.Max), IsAuto: true);

    private static ListenAddress? ReadListen(ConfigReader reader, ConfigNode node)
    {
        var text = reader.String(node, ListenAddressParser.Expected);
        if (node.IsMissing)
        {
            text = ConfigDefaults.Listen;
        }

        if (text is null)
        {
            return null;
        }

        var address = ListenAddressParser.TryParse(text, out var problem);
        if (address is null)
        {
            reader.Error(node, $"expected {ListenAddressParser.Expected}; got {JsonDescriptions.Quote(text)}: {problem}");
        }

        return address;
    }

    private static WorkerConfig? ReadWorker(ConfigReader reader, ConfigNode node, string configDirectory, ConfigEnvironment environment)
    {
        var keys = reader.Object(node, WorkerKeys);

        var cwdText = reader.String(keys["cwd"], "a folder path (relative to the config file's folder)");
        var cwd = Path.GetFullPath(cwdText ?? ".", configDirectory);
        if (cwdText is not null && !Directory.Exists(cwd))
        {
            reader.Error(keys["cwd"], $"folder \"{cwd}\" does not exist");
        }

        var commandNode = keys["command"];
        var commandText = reader.String(commandNode, "a string: the program to run, e.g. \"dotnet\", \"python3\" or \"./bin/server\"");
        string? command = null;
        if (commandNode.IsMissing || commandText?.Trim().Length == 0)
        {
            reader.Error(commandNode, "required: the program to run for each worker, e.g. \"dotnet\", \"python3\" or \"./bin/server\"");
        }
        else if (commandText is not null)
        {
            command = CommandResolver.Resolve(commandText, configDirectory, environment.SearchPath, out var problem);
            if (command is null)
            {
                reader.Error(commandNode, problem!);
            }
        }

        var args = reader.StringArray(keys["args"], "an array of strings, e.g. [\"app.dll\", \"--port\", \"{port}\"]");
        var env = reader.StringMap(keys["env"], "an object of strings, e.g. {\"ASPNETCORE_ENVIRONMENT\": \"Production\"}");
        var readiness = ReadReadiness(reader, keys["readiness"]);
        var stopTimeout = reader.Duration(keys["stopTimeout"], ConfigDefaults.StopTimeout, TimeSpan.Zero, OneDay);

        return command is null
            ? null
            : new WorkerConfig
            {
                CommandAsWritten = commandText!,
                Command = command,
                Args = args,
                Env = env,
                WorkingDirectory = cwd,
                Readiness = readiness,
                StopTimeout = stopTimeout,
            };
    }

    private static ReadinessConfig ReadReadiness(ConfigReader reader, ConfigNode node)
    {
        var keys = reader.Object(node, ReadinessKeys);
        var path = reader.String(keys["path"], "a string: the HTTP path to GET, starting with \"/\" (omit it for a TCP connect check)");
        if (path is not null && (!path.StartsWith('/') || path.Any(char.IsWhiteSpace)))
        {
            reader.Error(keys["path"], $"expected an HTTP path starting with \"/\" and without spaces, e.g. \"/healthz\"; got {JsonDescriptions.Quote(path)}");
        }

        return new ReadinessConfig
        {
            HttpPath = path,
            Timeout = reader.Duration(keys["timeout"], ConfigDefaults.ReadinessTimeout, TimeSpan.FromMilliseconds(1), OneDay),
            Interval = reader.Duration(keys["interval"], ConfigDefaults.ReadinessInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1)),
        };
    }
}
