using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// One JSON object per line, laid out as Serilog's JsonFormatter(renderMessage: true): Timestamp, Level,
/// MessageTemplate, RenderedMessage, Exception, Properties. Unlike it, the rendered message shows string values as
/// the console does, without quotes, so it reads (and greps) the same as the console line.
/// </summary>
internal sealed class LogJsonFormatter : ITextFormatter
{
    private static readonly MessageTemplateTextFormatter Message = new("{Message:l}", CultureInfo.InvariantCulture);

    private readonly JsonValueFormatter _values = new(typeTagName: null);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        output.Write("{\"Timestamp\":\"");
        output.Write(logEvent.Timestamp.ToString("o", CultureInfo.InvariantCulture));
        output.Write("\",\"Level\":\"");
        output.Write(logEvent.Level.ToString());
        output.Write("\",\"MessageTemplate\":");
        JsonValueFormatter.WriteQuotedJsonString(logEvent.MessageTemplate.Text, output);
        output.Write(",\"RenderedMessage\":");
        using (var message = new StringWriter(CultureInfo.InvariantCulture))
        {
            Message.Format(logEvent, message);
            JsonValueFormatter.WriteQuotedJsonString(message.ToString(), output);
        }

        if (logEvent.Exception is not null)
        {
            output.Write(",\"Exception\":");
            JsonValueFormatter.WriteQuotedJsonString(logEvent.Exception.ToString(), output);
        }

        output.Write(",\"Properties\":{");
        var first = true;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (!first)
            {
                output.Write(',');
            }

            first = false;
            JsonValueFormatter.WriteQuotedJsonString(name, output);
            output.Write(':');
            _values.Format(value, output);
        }

        output.Write("}}\n");
    }
}
