using Brokkr.Auth.Data;
using Brokkr.Contracts.Auth;
using Brokkr.Contracts.Generators;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Configuration;
using Brokkr.Shared.Data;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Brokkr.Auth.Features;

/// <summary>
/// The admin PAK at start. A configured <c>broker.pak_hash</c> is applied on every start (so the
/// configuration is the truth); without one, the first start mints a random PAK, prints it once and
/// writes it to a file only the broker's user can read. The published development PAK is refused
/// unless development mode is on.
/// </summary>
public static class BootstrapAdmin
{
    /// <summary>Rotate: true mints a new PAK even when one exists (CLI <c>rotate admin</c>).</summary>
    public sealed record Command(bool Rotate = false) : ICommand<Result>;

    /// <summary>The minted PAK, when one was minted.</summary>
    public sealed record Result(string? MintedPak, string Hash);

    internal sealed class Handler(BrokkrDb db, BrokkrSettings settings, IMediator mediator, ILogger<Command> logger)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            await db.ExecuteAsync("SELECT pg_advisory_xact_lock(7301)", cancellationToken);
            var configured = settings.Broker.PakHash?.Trim();
            var initialized = await db.GetTable<AppInitializationRow>().AnyAsync(cancellationToken);
            var existing = await db.GetTable<AdminRoleRow>().FirstOrDefaultAsync(cancellationToken);

            string hash;
            string? minted = null;
            if (!string.IsNullOrEmpty(configured))
            {
                if (!Pak.IsValidHash(configured))
                {
                    throw new InvalidOperationException("broker.pak_hash must be 64 hexadecimal characters.");
                }

                hash = configured.ToLowerInvariant();
                if (hash == Pak.PublishedDevelopmentHash && !settings.Broker.DevelopmentMode)
                {
                    throw new InvalidOperationException(
                        "broker.pak_hash is the published development PAK hash; set BROKKR__BROKER__DEVELOPMENT_MODE=true to allow it, or configure another.");
                }
            }
            else if (existing is not null && !command.Rotate)
            {
                await MarkInitialized(initialized, cancellationToken);
                return new Result(null, existing.PakHash);
            }
            else
            {
                var pak = Pak.Generate();
                hash = pak.Hash;
                minted = pak.Value;
            }

            if (existing is null)
            {
                await db.GetTable<AdminRoleRow>().InsertAsync(() => new AdminRoleRow { Id = Guid.NewGuid(), PakHash = hash }, cancellationToken);
            }
            else if (existing.PakHash != hash)
            {
                await db.GetTable<AdminRoleRow>().Where(r => r.Id == existing.Id).Set(r => r.PakHash, hash).UpdateAsync(cancellationToken);
            }

            await mediator.Send(new LinkAdminGenerator(hash), cancellationToken);
            await mediator.Publish(new PakChanged(PakOwnerKind.Admin, null), cancellationToken);
            await MarkInitialized(initialized, cancellationToken);
            if (minted is not null)
            {
                WriteKeyFile(settings.Broker.AdminPakFile, minted);
                logger.LogWarning("Minted a new admin PAK; it was written to {File} (mode 0600)", Path.GetFullPath(settings.Broker.AdminPakFile));
            }

            return new Result(minted, hash);
        }

        private async Task MarkInitialized(bool initialized, CancellationToken cancellationToken)
        {
            if (!initialized)
            {
                await db.GetTable<AppInitializationRow>().InsertAsync(() => new AppInitializationRow { InitializedAt = Sql.CurrentTimestampUtc }, cancellationToken);
            }
        }

        private static void WriteKeyFile(string path, string pak)
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.Delete(full);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var writer = new StreamWriter(new FileStream(full, options));
            writer.WriteLine(pak);
        }
    }
}
