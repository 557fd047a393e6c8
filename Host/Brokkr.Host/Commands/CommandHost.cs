using System.CommandLine;
using System.Net.Sockets;
using Brokkr.Host.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Mediator;
using Npgsql;

namespace Brokkr.Host.Commands;

/// <summary>
/// Runs a command against the broker's own services (configuration, database, modules, mediator)
/// without starting the web server. Arguments the command does not define are configuration
/// overrides in the host's form, <c>--Section:key=value</c>.
/// </summary>
internal static class CommandHost
{
    public const string OverridesHelp = "Commands that use the database take configuration overrides as --Section:key=value (e.g. --Database:Url=postgres://...); BROKKR__ environment variables take precedence.";

    public static void AcceptOverrides(this Command command) => command.TreatUnmatchedTokensAsErrors = false;

    public static async Task<int> RunAsync(
        ParseResult parse,
        bool migrate,
        Func<IServiceProvider, TextWriter, CancellationToken, Task> action,
        CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var invalid = parse.UnmatchedTokens.FirstOrDefault(t => !IsOverride(t));
        if (invalid is not null)
        {
            await error.WriteLineAsync($"error: unrecognised argument '{invalid}'. {OverridesHelp}");
            return 1;
        }

        try
        {
            await using var app = BrokkrApp.BuildForCommand([.. parse.UnmatchedTokens]);
            if (migrate)
            {
                await app.Services.MigrateAsync(cancellationToken);
            }

            await action(app.Services, output, cancellationToken);
            return 0;
        }
        catch (Exception ex)
        {
            await error.WriteLineAsync($"error: {Describe(ex)}");
            return 1;
        }
    }

    /// <summary>Sends a request in its own scope, as one HTTP request would: one connection, one transaction.</summary>
    public static async Task<TResponse> SendAsync<TResponse>(this IServiceProvider services, ICommand<TResponse> command, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command, cancellationToken);
    }

    /// <summary>A UUID in any of the forms the API accepts.</summary>
    public static Guid? ParseId(System.CommandLine.Parsing.ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = result.Tokens[0].Value;
        if (Uuid.TryParse(text, out var id))
        {
            return id;
        }

        result.AddError($"'{text}' is not a UUID.");
        return null;
    }

    public static string Describe(Exception exception) => exception switch
    {
        ApiException api => $"{api.Message} ({api.Code})",
        MissingMessageHandlerException => $"this build of the broker has no handler for the command yet ({exception.Message})",
        OperationCanceledException => "cancelled",
        _ when DatabaseErrors.Map(exception) is { } mapped => $"{mapped.Message} ({mapped.Code})",
        NpgsqlException or SocketException or TimeoutException => $"cannot reach the database: {exception.Message}",
        _ when exception.InnerException is NpgsqlException or SocketException => $"cannot reach the database: {exception.InnerException.Message}",
        InvalidOperationException or ArgumentException => exception.Message,
        _ => $"{exception.Message} ({exception.GetType().Name})",
    };

    private static bool IsOverride(string token)
        => token.StartsWith("--", StringComparison.Ordinal) && token.IndexOf('=', StringComparison.Ordinal) > 2;
}
