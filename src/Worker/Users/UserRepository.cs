using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Cluster.Worker.Users;

/// <summary>
/// Users in one SQLite file that every worker process opens: state kept in a process would differ from worker to
/// worker. WAL lets readers run while one process writes; the busy timeout makes writers from other processes queue
/// for the lock instead of failing with SQLITE_BUSY.
/// </summary>
internal sealed class UserRepository
{
    private const int BusyTimeoutMilliseconds = 5000;
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;

    /// <summary>ISO 8601 in UTC with fixed width, so stored timestamps also sort as text.</summary>
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private readonly string _connectionString;
    private readonly TimeProvider _clock;

    public UserRepository(string databasePath, TimeProvider clock)
    {
        DatabasePath = databasePath;
        _clock = clock;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
    }

    public string DatabasePath { get; }

    /// <summary>
    /// Creates the folder, the file and the table if missing, and returns the journal mode in effect ("wal" unless the
    /// file system refused). Several workers run this at the same moment on a fresh file: every statement is idempotent
    /// and waits on the busy timeout, so that is safe.
    /// </summary>
    public string Initialize()
    {
        var folder = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        SetBusyTimeout(connection);

        string journalMode;
        using (var wal = connection.CreateCommand())
        {
            // The journal mode is stored in the file, so this only does work the first time.
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            journalMode = Convert.ToString(wal.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "unknown";
        }

        using var create = connection.CreateCommand();
        create.CommandText = """
            CREATE TABLE IF NOT EXISTS users (
                id         INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                email      TEXT NOT NULL UNIQUE COLLATE NOCASE,
                created_at TEXT NOT NULL
            );
            """;
        create.ExecuteNonQuery();
        return journalMode;
    }

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, email, created_at FROM users ORDER BY id;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<User>();
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(ReadUser(reader));
        }

        return users;
    }

    public async Task<User?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, email, created_at FROM users WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUser(reader) : null;
    }

    /// <summary>Stores a new user; returns null when the email is already taken (compared case-insensitively).</summary>
    public async Task<User?> TryCreateAsync(string name, string email, CancellationToken cancellationToken)
    {
        var createdAt = TruncateToMilliseconds(_clock.GetUtcNow().UtcDateTime);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO users (name, email, created_at) VALUES ($name, $email, $createdAt) RETURNING id;";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$email", email);
        command.Parameters.AddWithValue("$createdAt", createdAt.ToString(TimestampFormat, CultureInfo.InvariantCulture));
        try
        {
            var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            return new User(id, name, email, createdAt);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint && e.SqliteExtendedErrorCode == SqliteConstraintUnique)
        {
            return null;
        }
    }

    /// <summary>A query that reads the file (a bare SELECT 1 would not), so it fails when the database is unusable.</summary>
    /// <exception cref="DbException">The database cannot be opened or read.</exception>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM users LIMIT 1;";
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            SetBusyTimeout(connection);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // Pooled connections keep the setting, but there is no way to tell a fresh one from a reused one; it is cheap.
    private static void SetBusyTimeout(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds};";
        command.ExecuteNonQuery();
    }

    private static User ReadUser(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        DateTime.ParseExact(reader.GetString(3), TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));

    private static DateTime TruncateToMilliseconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
}
