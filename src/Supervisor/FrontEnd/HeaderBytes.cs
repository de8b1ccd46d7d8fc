using System.Text;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// Header values cross the front end byte for byte, as nginx passes them: a value with bytes above 0x7F (a UTF-8 file
/// name, a cookie set by the application itself) reaches the worker unchanged, and so does such a value in the worker's
/// answer. Latin-1 maps each byte to one character and back, so reading a value as Latin-1 on one side and writing it
/// as Latin-1 on the other changes nothing. Without it Kestrel reads the request's values as UTF-8 and .NET's HTTP
/// client refuses to send any that is not ASCII: the client got a 502, counted and logged as a proxy error, for a
/// request that no worker ever saw. What the bytes mean is the application's business (RFC 9110 treats them as opaque).
/// </summary>
internal static class HeaderBytes
{
    public static Encoding Encoding => Encoding.Latin1;
}
