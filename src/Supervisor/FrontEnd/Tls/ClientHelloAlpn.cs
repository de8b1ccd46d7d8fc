using System.Buffers;
using System.Net.Security;

namespace Cluster.Supervisor.FrontEnd.Tls;

/// <summary>
/// Reads the ALPN list of a TLS ClientHello (RFC 8446 section 4.1.2, RFC 7301 section 3.1) from the first bytes a
/// client sends. Hand-written because nothing in .NET exposes it: Kestrel's TLS callback gets the SNI name and the TLS
/// versions only, and SslStream, given a server ALPN list, fails the handshake with no_application_protocol when the
/// client's list shares nothing with it. Only the first TLS record is read (a ClientHello fits in one, short of a
/// client that fragments it on purpose); anything that does not parse is <see cref="AlpnOffer.None"/>, which leaves
/// the handshake exactly as it was.
/// </summary>
internal static class ClientHelloAlpn
{
    private const byte HandshakeRecord = 22;
    private const byte ClientHello = 1;
    private const ushort AlpnExtension = 16;
    private const int RandomAndVersionLength = 2 + 32;

    /// <summary>TLSPlaintext.length may not exceed 2^14 (RFC 8446 section 5.1).</summary>
    private const int MaxRecordLength = 1 << 14;

    private static readonly ReadOnlyMemory<byte>[] Spoken = [SslApplicationProtocol.Http2.Protocol, SslApplicationProtocol.Http11.Protocol];

    /// <summary>The largest number of bytes <see cref="Inspect"/> may ask for before it decides.</summary>
    public const int MaxBytes = 5 + MaxRecordLength;

    public static AlpnOffer Inspect(ReadOnlySequence<byte> received)
    {
        var reader = new SequenceReader<byte>(received);
        if (!reader.TryRead(out var contentType))
        {
            return AlpnOffer.Incomplete;
        }

        if (contentType != HandshakeRecord)
        {
            // Not TLS: the handshake fails on its own.
            return AlpnOffer.None;
        }

        if (!reader.TryReadBigEndian(out short _) || !reader.TryReadBigEndian(out short length))
        {
            return AlpnOffer.Incomplete;
        }

        if ((ushort)length > MaxRecordLength)
        {
            return AlpnOffer.None;
        }

        return reader.Remaining < (ushort)length ? AlpnOffer.Incomplete : InspectHandshake(reader.UnreadSequence.Slice(0, (ushort)length));
    }

    private static AlpnOffer InspectHandshake(ReadOnlySequence<byte> record)
    {
        var reader = new SequenceReader<byte>(record);
        if (!reader.TryRead(out var type) || type != ClientHello || !TryReadUInt24(ref reader, out _) || reader.Remaining < RandomAndVersionLength)
        {
            return AlpnOffer.None;
        }

        reader.Advance(RandomAndVersionLength);
        if (!TrySkipVector(ref reader, lengthBytes: 1) || !TrySkipVector(ref reader, lengthBytes: 2) || !TrySkipVector(ref reader, lengthBytes: 1))
        {
            // Session id, cipher suites, compression methods: a ClientHello cut short (or not one).
            return AlpnOffer.None;
        }

        if (!TryReadVector(ref reader, lengthBytes: 2, out var extensions))
        {
            return AlpnOffer.None;
        }

        var extensionReader = new SequenceReader<byte>(extensions);
        while (extensionReader.TryReadBigEndian(out short extensionType) && TryReadVector(ref extensionReader, lengthBytes: 2, out var data))
        {
            if ((ushort)extensionType == AlpnExtension)
            {
                return InspectProtocols(data);
            }
        }

        return AlpnOffer.None;
    }

    private static AlpnOffer InspectProtocols(ReadOnlySequence<byte> extension)
    {
        var reader = new SequenceReader<byte>(extension);
        if (!TryReadVector(ref reader, lengthBytes: 2, out var list))
        {
            return AlpnOffer.None;
        }

        var names = new SequenceReader<byte>(list);
        var any = false;
        Span<byte> name = stackalloc byte[byte.MaxValue];
        while (names.TryRead(out var nameLength) && names.TryCopyTo(name[..nameLength]))
        {
            names.Advance(nameLength);
            any = true;
            foreach (var spoken in Spoken)
            {
                if (name[..nameLength].SequenceEqual(spoken.Span))
                {
                    return AlpnOffer.Spoken;
                }
            }
        }

        return any ? AlpnOffer.Foreign : AlpnOffer.None;
    }

    private static bool TryReadUInt24(ref SequenceReader<byte> reader, out int value)
    {
        value = 0;
        for (var i = 0; i < 3; i++)
        {
            if (!reader.TryRead(out var next))
            {
                return false;
            }

            value = (value << 8) | next;
        }

        return true;
    }

    private static bool TryReadLength(ref SequenceReader<byte> reader, int lengthBytes, out int length)
    {
        length = 0;
        if (lengthBytes == 1)
        {
            var read = reader.TryRead(out var small);
            length = small;
            return read;
        }

        if (!reader.TryReadBigEndian(out short large))
        {
            return false;
        }

        length = (ushort)large;
        return true;
    }

    private static bool TrySkipVector(ref SequenceReader<byte> reader, int lengthBytes) => TryReadVector(ref reader, lengthBytes, out _);

    private static bool TryReadVector(ref SequenceReader<byte> reader, int lengthBytes, out ReadOnlySequence<byte> contents)
    {
        contents = default;
        if (!TryReadLength(ref reader, lengthBytes, out var length) || reader.Remaining < length)
        {
            return false;
        }

        contents = reader.UnreadSequence.Slice(0, length);
        reader.Advance(length);
        return true;
    }
}
