using Npgsql;

namespace Brokkr.Replicas.Tests.Support;

/// <summary>
/// Three broker processes over one freshly migrated database (one per test class).
/// </summary>
public class ReplicaSet : IAsyncLifetime
{
    private readonly List<BrokerProcess> _brokers = [];

    public string ConnectionString { get; private set; } = "";

    public BrokerProcess A => _brokers[0];

    public BrokerProcess B => _brokers[1];

    public BrokerProcess C => _brokers[2];

    public IReadOnlyList<BrokerProcess> All => _brokers;

    protected virtual int Count => 3;

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await BrokkrApiFactory.CreateMigratedDatabaseAsync();
        _brokers.AddRange(await Task.WhenAll(Enumerable.Range(0, Count).Select(_ => BrokerProcess.StartAsync(BrokerConnectionString))));
    }

    /// <summary>What the brokers are given; a subclass may route it through a proxy.</summary>
    protected virtual string BrokerConnectionString => ConnectionString;

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var broker in _brokers)
        {
            await broker.DisposeAsync();
        }

        await TestDatabase.DropAsync(ConnectionString);
    }
}
