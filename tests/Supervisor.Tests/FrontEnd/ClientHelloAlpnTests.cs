using System.Buffers;
using System.Net.Security;
using Cluster.Supervisor.FrontEnd.Tls;

namespace Cluster.Supervisor.Tests.FrontEnd;

/// <summary>The ALPN list read from real ClientHellos, as .NET's own TLS client writes them.</summary>
public sealed class ClientHelloAlpnTests
{
    [Test]
    public async Task Only_unknown_protocols_are_foreign_and_one_spoken_protocol_among_them_is_enough()
    {
        Assert.That(ClientHelloAlpn.Inspect(new(await ClientHelloAsync(new SslApplicationProtocol("http/1.0")))), Is.EqualTo(AlpnOffer.Foreign));
        Assert.That(ClientHelloAlpn.Inspect(new(await ClientHelloAsync(new SslApplicationProtocol("http/1.0"), new SslApplicationProtocol("spdy/3")))), Is.EqualTo(AlpnOffer.Foreign));
        Assert.That(ClientHelloAlpn.Inspect(new(await ClientHelloAsync(SslApplicationProtocol.Http2, SslApplicationProtocol.Http11))), Is.EqualTo(AlpnOffer.Spoken));
        Assert.That(ClientHelloAlpn.Inspect(new(await ClientHelloAsync(new SslApplicationProtocol("http/1.0"), SslApplicationProtocol.Http11))), Is.EqualTo(AlpnOffer.Spoken));
        Assert.That(ClientHelloAlpn.Inspect(new(await ClientHelloAsync())), Is.EqualTo(AlpnOffer.None), "no ALPN extension at all");
    }

    [Test]
    public async Task A_ClientHello_not_all_there_yet_asks_for_more_however_it_is_split()
    {
        var hello = await ClientHelloAsync(new SslApplicationProtocol("http/1.0"));

        for (var length = 0; length < hello.Length; length++)
        {
            Assert.That(ClientHelloAlpn.Inspect(new(hello[..length])), Is.EqualTo(AlpnOffer.Incomplete), $"{length} of {hello.Length} bytes");
        }

        Assert.That(ClientHelloAlpn.Inspect(Segmented(hello, 7)), Is.EqualTo(AlpnOffer.Foreign), "read across buffer segments");
    }

    [Test]
    public void What_is_not_a_ClientHello_leaves_the_handshake_as_it_is()
    {
        Assert.That(ClientHelloAlpn.Inspect(new("GET / HTTP/1.1\r\n"u8.ToArray())), Is.EqualTo(AlpnOffer.None), "plain HTTP on the TLS port");
        Assert.That(ClientHelloAlpn.Inspect(new([22, 3, 1, 0, 4, 2, 0, 0, 0])), Is.EqualTo(AlpnOffer.None), "a handshake record that is not a ClientHello");
        Assert.That(ClientHelloAlpn.Inspect(new([22, 3, 1, 0xFF, 0xFF])), Is.EqualTo(AlpnOffer.None), "a record longer than TLS allows");
    }

    /// <summary>The first bytes a .NET TLS client sends for these ALPN protocols (none: no extension).</summary>
    private static async Task<byte[]> ClientHelloAsync(params SslApplicationProtocol[] protocols)
    {
        var wire = new FirstWrite();
        using var client = new SslStream(wire);
        var options = new SslClientAuthenticationOptions { TargetHost = "example.test", ApplicationProtocols = protocols.Length == 0 ? null : [.. protocols] };
        Assert.That(async () => await client.AuthenticateAsClientAsync(options), Throws.Exception);
        return wire.Written ?? throw new AssertionException("the client wrote nothing");
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        var chunks = bytes.Chunk(size).ToList();
        var first = new Segment(chunks[0], 0);
        var last = first;
        foreach (var chunk in chunks.Skip(1))
        {
            last = last.Append(chunk);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    /// <summary>Keeps the first write (the ClientHello) and ends the handshake there: no server answers.</summary>
    private sealed class FirstWrite : Stream
    {
        public byte[]? Written { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Written ??= buffer[offset..(offset + count)];

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written ??= buffer.ToArray();
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("no server here");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromException<int>(new IOException("no server here"));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
