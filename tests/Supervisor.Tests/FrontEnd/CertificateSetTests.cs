using Cluster.Supervisor.FrontEnd.Tls;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.FrontEnd;

/// <summary>SNI: which certificate a handshake gets for the name the client asked for.</summary>
public sealed class CertificateSetTests
{
    private CertbotFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new CertbotFolder();

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    [Test]
    public void Each_name_gets_its_certificate_and_anything_else_the_first()
    {
        var set = new CertificateSet([Served("a.example.test", "www.a.example.test"), Served("b.example.test")]);

        Assert.That(Names(set.Select("a.example.test")), Is.EqualTo("a.example.test, www.a.example.test"));
        Assert.That(Names(set.Select("www.a.example.test")), Is.EqualTo("a.example.test, www.a.example.test"));
        Assert.That(Names(set.Select("b.example.test")), Is.EqualTo("b.example.test"));
        Assert.That(Names(set.Select("B.Example.TEST")), Is.EqualTo("b.example.test"), "DNS names compare without case");
        Assert.That(set.Select("c.example.test"), Is.SameAs(set.Default), "a name no certificate lists");
        Assert.That(set.Select(null), Is.SameAs(set.Default), "a client without SNI");
        Assert.That(set.Select(string.Empty), Is.SameAs(set.Default));
        Assert.That(Names(set.Default), Is.EqualTo("a.example.test, www.a.example.test"));
    }

    [Test]
    public void A_wildcard_matches_exactly_one_label_and_an_exact_name_wins_over_it()
    {
        var wildcard = Served("*.example.test");
        var exact = Served("api.example.test");
        var set = new CertificateSet([wildcard, exact]);

        Assert.That(set.Select("www.example.test"), Is.SameAs(wildcard));
        Assert.That(new CertificateSet([exact, wildcard]).Select("WWW.Example.TEST"), Is.SameAs(wildcard), "without case");
        Assert.That(new CertificateSet([exact, wildcard]).Select(".example.test"), Is.SameAs(exact), "an empty first label: the default");
        Assert.That(set.Select("api.example.test"), Is.SameAs(exact));
        Assert.That(set.Select("a.b.example.test"), Is.SameAs(set.Default).And.SameAs(wildcard), "not by the wildcard: the default, which happens to be it");
        Assert.That(new CertificateSet([exact, wildcard]).Select("a.b.example.test"), Is.SameAs(exact), "two labels: the default");
        Assert.That(new CertificateSet([exact, wildcard]).Select("example.test"), Is.SameAs(exact), "the bare domain: the default");
        Assert.That(new CertificateSet([exact, wildcard]).Select("x.example.test"), Is.SameAs(wildcard));
    }

    [Test]
    public void The_first_certificate_listing_a_name_keeps_it()
    {
        var first = Served("shared.example.test");
        var second = Served("other.example.test", "shared.example.test");

        Assert.That(new CertificateSet([first, second]).Select("shared.example.test"), Is.SameAs(first));
    }

    [Test]
    public void The_options_of_a_certificate_are_built_once_with_tls_1_2_and_1_3_and_alpn()
    {
        var served = Served("a.example.test");

        Assert.That(served.Options.ServerCertificateContext, Is.Not.Null);
        Assert.That(served.Options.EnabledSslProtocols, Is.EqualTo(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13));
        Assert.That(served.Options.ApplicationProtocols, Is.EqualTo(new[] { System.Net.Security.SslApplicationProtocol.Http2, System.Net.Security.SslApplicationProtocol.Http11 }));
        Assert.That(new CertificateSet([served]).Select("a.example.test").Options, Is.SameAs(served.Options));
    }

    private static string Names(ServedCertificate certificate) => certificate.Loaded.NamesText;

    private ServedCertificate Served(params string[] names)
    {
        var name = names[0].TrimStart('*', '.');
        _folder.Renew(name, names);
        return _folder.Served(name, DateTimeOffset.UtcNow);
    }
}
