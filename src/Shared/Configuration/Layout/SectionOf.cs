using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout;

/// <summary>
/// A section whose record is <typeparamref name="T"/>, built key by key. A section is content, not a place: the same
/// one can be placed in several parents (each placement says where its record goes in that parent's record).
/// </summary>
internal sealed class Section<T>(string name, T empty, string meaning, Applies applies = Applies.Live, FrontEndOnly? frontEnd = null)
    : Section(name, meaning, applies, frontEnd)
    where T : class
{
    private readonly List<Member<T>> _members = [];

    /// <summary>The record the keys are read into (each key sets its value, given or default).</summary>
    public T Empty => empty;
    public override IReadOnlyList<Member> Members => _members;

    /// <summary>
    /// Adds a key. <paramref name="default"/> is written as a user would write it (and read like what they write);
    /// without one the key is off (null) unless it is <paramref name="required"/> or <paramref name="whenAbsent"/> says.
    /// It applies as the section does, and works with either front end, unless said otherwise.
    /// </summary>
    public Section<T> Key<TV>(string name, Kind<TV> kind, Func<T, TV> get, Func<T, TV, T> set, JsonNode? @default, string meaning, Applies? applies = null,
        FrontEndOnly? frontEnd = null, string? required = null, Func<Reading, TV>? whenAbsent = null, string? defaultText = null, bool setting = true)
    {
        _members.Add(new KeyMember<T, TV>(name, kind, get, set, @default, meaning, applies ?? Applies, frontEnd, required, whenAbsent, defaultText, setting));
        return this;
    }

    public Section<T> Add<TC>(Section<TC> section, Func<T, TC> get, Func<T, TC, T> set)
        where TC : class
    {
        _members.Add(new SectionMember<T, TC>(section, get, (record, value) => set(record, value!), optional: false));
        return this;
    }

    /// <summary>
    /// Adds a section that is off (null) unless written (and not null) or set by an override. A section placed a second
    /// time (an app's own rateLimit) says what it means there, and what holds while it is off, in
    /// <paramref name="meaning"/> and <paramref name="defaultText"/>.
    /// </summary>
    public Section<T> Optional<TC>(Section<TC> section, Func<T, TC?> get, Func<T, TC?, T> set, string? meaning = null, string? defaultText = null)
        where TC : class
    {
        _members.Add(new SectionMember<T, TC>(section, get, set, optional: true, meaning, defaultText));
        return this;
    }

    /// <summary>Places a member made elsewhere (the short form's keys, "apps").</summary>
    public Section<T> Place(Member<T> member)
    {
        _members.Add(member);
        return this;
    }

    /// <summary>The member of that name.</summary>
    public Member<T> Named(string name) => _members.Single(m => m.Name == name);

    public T Read(Reading reading, ConfigNode node, T record)
    {
        var keys = reading.Object(node, Names);
        return _members.Aggregate(record, (read, member) => member.Read(reading, keys[member.Name], read));
    }

    public JsonObject Show(T record) =>
        new([.. _members.Select(m => (m.Name, Value: m.Show(record, out var present), Present: present)).Where(m => m.Present).Select(m => KeyValuePair.Create(m.Name, m.Value))]);

    public T Keep(T running, T loaded) => _members.Aggregate(loaded, (kept, member) => member.Keep(running, kept));

    public void Compare(T running, T loaded, string path, List<ConfigChange> changes)
    {
        foreach (var member in _members)
        {
            member.Compare(running, loaded, path.Length == 0 ? member.Name : $"{path}.{member.Name}", changes);
        }
    }
}
