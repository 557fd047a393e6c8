namespace Brokkr.Shared.Data;

/// <summary>
/// Sees every NOTICE the database sends on the broker's own connections (<see cref="BrokkrDb"/>) while
/// the statement that raised it runs: a trigger's way to tell this process about a change at once,
/// before the change's NOTIFY comes back after the commit.
/// </summary>
public interface IDatabaseNoticeObserver
{
    void OnNotice(string message);
}
