using Brokkr.Shared.Auth;
using Brokkr.Shared.Configuration;
using Npgsql;

namespace Brokkr.Auth.Authentication;

/// <summary>
/// Resolves a PAK to its identity: syntax, then the cache, then one indexed query over the admin
/// role, agents and generators (admin wins, as in the reference).
/// </summary>
internal sealed class PakAuthenticator(NpgsqlDataSource dataSource, PakCache cache, BrokkrSettings settings)
{
    private const string LookupSql = """
        SELECT 0 AS kind, NULL::uuid AS id FROM admin_role WHERE pak_hash = $1
        UNION ALL SELECT 1, id FROM agents WHERE pak_hash = $1 AND deleted_at IS NULL
        UNION ALL SELECT 2, id FROM generators WHERE pak_hash = $1 AND deleted_at IS NULL
        ORDER BY kind LIMIT 1
        """;

    public async ValueTask<Caller?> AuthenticateAsync(string? header, CancellationToken cancellationToken)
    {
        if (!Pak.TryParseHeader(header, out var longToken, out _))
        {
            return null;
        }

        var hash = Pak.HashLongToken(longToken);
        if (hash == Pak.PublishedDevelopmentHash && !settings.Broker.DevelopmentMode)
        {
            return null;
        }

        if (cache.TryGet(hash, out var cached))
        {
            return cached;
        }

        await using var command = dataSource.CreateCommand(LookupSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = hash });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var caller = reader.GetInt32(0) switch
        {
            0 => Caller.Admin,
            1 => new Caller(CallerKind.Agent, reader.GetGuid(1)),
            _ => new Caller(CallerKind.Generator, reader.GetGuid(1)),
        };
        cache.Set(hash, caller);
        return caller;
    }
}
