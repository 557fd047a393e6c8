using System.Text;
using Brokkr.Shared.Data;
using LinqToDB.Data;
using Npgsql;
using NpgsqlTypes;

namespace Brokkr.Realtime.Bus;

/// <summary>
/// Sends bus messages to every replica (this one included) through PostgreSQL NOTIFY. Inside a
/// transaction the message leaves on commit and never on rollback. A payload over
/// <see cref="MaxNotifyBytes"/> (NOTIFY allows 8000) is written to <c>realtime_messages</c> in the
/// same transaction and only its id (<c>#id</c>) is notified.
/// </summary>
internal sealed class RealtimeBus(NpgsqlDataSource dataSource)
{
    public const string Channel = "brokkr_realtime";
    public const int MaxNotifyBytes = 7000;
    public const char StoredPrefix = '#';

    private const string NotifySql = "SELECT pg_notify(@channel, @payload)";
    private const string StoreSql = """
        WITH message AS (INSERT INTO realtime_messages (payload) VALUES (@payload) RETURNING id)
        SELECT pg_notify(@channel, '#' || message.id) FROM message
        """;

    public static bool FitsNotify(string payload) => payload.Length <= MaxNotifyBytes / 4 || Encoding.UTF8.GetByteCount(payload) <= MaxNotifyBytes;

    /// <summary>In the transaction (if any) of the request's connection.</summary>
    public async Task PublishAsync(BrokkrDb db, string payload, CancellationToken cancellationToken)
        => await db.ExecuteAsync(FitsNotify(payload) ? NotifySql : StoreSql, cancellationToken,
            new DataParameter("channel", Channel), new DataParameter("payload", payload));

    /// <summary>On a pooled connection of its own, committed at once; one round trip for the lot.</summary>
    public async Task PublishAsync(IReadOnlyCollection<string> payloads, CancellationToken cancellationToken)
    {
        if (payloads.Count == 0)
        {
            return;
        }

        var small = payloads.Where(FitsNotify).ToArray();
        var large = payloads.Where(p => !FitsNotify(p)).ToArray();
        await using var batch = dataSource.CreateBatch();
        if (small.Length > 0)
        {
            batch.BatchCommands.Add(Command("SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS u(p, n) ORDER BY n", small));
        }

        if (large.Length > 0)
        {
            batch.BatchCommands.Add(Command("""
                WITH message AS (INSERT INTO realtime_messages (payload) SELECT unnest($2::text[]) RETURNING id)
                SELECT pg_notify($1, '#' || message.id) FROM message
                """, large));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The payload of a stored message, or null when it was already cleaned up.</summary>
    public async Task<string?> LoadAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT payload FROM realtime_messages WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static NpgsqlBatchCommand Command(string sql, string[] payloads)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Channel });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return command;
    }
}
