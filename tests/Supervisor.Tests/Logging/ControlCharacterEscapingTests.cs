using Cluster.Supervisor.Logging;
using Serilog.Events;
using Serilog.Parsing;

namespace Cluster.Supervisor.Tests.Logging;

/// <summary>Client data cannot start a log line of its own or reach the terminal as an escape sequence.</summary>
public sealed class ControlCharacterEscapingTests
{
    [TestCase("/plain/path?q=1", "/plain/path?q=1")]
    [TestCase("/x\n2026 [WRN] forged", @"/x\x0A2026 [WRN] forged")]
    [TestCase("a\r\u001b[31mred\u001b]0;title\u0007", @"a\x0D\x1B[31mred\x1B]0;title\x07")]
    [TestCase("tab\tstays, café ✓ too", "tab\tstays, café ✓ too")]
    [TestCase("\u007f\u009b\u0000", @"\x7F\x9B\x00")]
    public void Control_characters_become_backslash_x_and_two_hex_digits(string text, string expected) =>
        Assert.That(LogText.Escape(text), Is.EqualTo(expected));

    [Test]
    public void Every_text_property_is_escaped_nested_ones_included_and_other_values_are_kept()
    {
        var logEvent = new LogEvent(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, new MessageTemplateParser().Parse("{Method} {Path} {Status}"),
        [
            new LogEventProperty("Method", new ScalarValue("GET")),
            new LogEventProperty("Path", new ScalarValue("/a\nb")),
            new LogEventProperty("Status", new ScalarValue(404)),
            new LogEventProperty("Headers", new SequenceValue([new ScalarValue("x\u001b"), new StructureValue([new LogEventProperty("Host", new ScalarValue("h\r"))])])),
        ]);

        new ControlCharacterEscaper().Enrich(logEvent, null!);

        Assert.That(logEvent.RenderMessage(), Is.EqualTo(@"""GET"" ""/a\x0Ab"" 404"));
        Assert.That(((ScalarValue)logEvent.Properties["Path"]).Value, Is.EqualTo(@"/a\x0Ab"));
        Assert.That(((ScalarValue)logEvent.Properties["Status"]).Value, Is.EqualTo(404));
        Assert.That(logEvent.Properties["Headers"].ToString(), Is.EqualTo(@"[""x\x1B"", { Host: ""h\x0D"" }]"));
    }
}
