using System.Globalization;
using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers.Operations;

/// <summary>`supervisor scale N`, `+K` or `-K`.</summary>
internal sealed record ScaleTarget(int Value, bool Relative)
{
    public int Resolve(int current) => Relative ? current + Value : Value;

    public static bool TryParse(string text, out ScaleTarget? target)
    {
        target = null;
        var relative = text.StartsWith('+') || text.StartsWith('-');
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || (!relative && value < 1) || Math.Abs(value) > WorkerCount.Max)
        {
            return false;
        }

        target = new ScaleTarget(value, relative);
        return true;
    }

    public override string ToString() => Relative ? Value.ToString("+0;-0", CultureInfo.InvariantCulture) : Value.ToString(CultureInfo.InvariantCulture);
}
